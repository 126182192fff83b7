package io.ndopt.internal.gpusuite;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.device.Device;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The network checks on the CPU against themselves (the suite's self-test: every check runs, passes
 * bitwise, and the L1 case really makes exact zeros), and one that must fail: a different model.
 */
class NetChecksTest {
    @Test void everyCheckPassesBitwiseOnTheCpu() {
        List<CheckResult> rs = NetChecks.run(Device.cpu());
        assertEquals(2 * NetChecks.CASES.size() + 4, rs.size());
        for (CheckResult r : rs) {
            assertEquals(CheckResult.Status.PASS, r.status(), r.name() + ": " + r.detail());
            assertEquals(0, r.differing(), r.name() + " differs from itself: " + r.detail());
        }
        CheckResult l1 = rs.stream().filter(r -> r.name().equals("network/adamw_l1/float64")).findFirst().orElseThrow();
        long zeros = Long.parseLong(l1.detail().replaceAll(".*; (\\d+) exact zeros.*", "$1"));
        assertTrue(zeros > 20, "adamw_l1 should zero many weights: " + l1.detail());
    }

    @Test void aDifferentTrajectoryFails() {
        NetChecks.Case c = NetChecks.CASES.get(0);
        NetChecks.Run a = NetChecks.train(c, DataType.DOUBLE, Device.cpu(), 2);
        NetChecks.Case slower = new NetChecks.Case(c.name(), c.data(), c.hidden(), c.act(), c.dropout(), c.loss(),
                () -> c.optimizer().get().lr(0.0501));
        NetChecks.Run b = NetChecks.train(slower, DataType.DOUBLE, Device.cpu(), 2);
        assertFalse(NetChecks.F64.compare(NetChecks.curve(b.history()), NetChecks.curve(a.history())).passed());
    }
}
