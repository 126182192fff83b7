package io.ndopt;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.properties.HasModifiers;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The package architecture, checked on the main bytecode (target/classes, so src/main/java22 too when a JDK 22+ javac
 * built it). The layers below are the one source of the order; README.md's Layout table lists the same packages in
 * the same order, with what each one uses, and {@link #readmeLayoutTableMatchesTheCode} keeps the two equal.
 */
class ArchitectureTest {

    private static final String ROOT = "io.ndopt.";

    /**
     * The layers, bottom-up; each a set of packages (short names, under {@code io.ndopt}). A package may use the
     * packages of its own layer and of the layers before it, never those after it.
     */
    static final List<List<String>> LAYERS = List.of(
            List.of("internal.validate", "internal.io"),
            List.of("backend"),
            List.of("param", "schedule", "device"),
            List.of("regularize"),
            List.of("internal.kernel", "internal.passes"),
            List.of("internal.device"),
            List.of("internal.cuda"),
            List.of("optim"),
            List.of("nn"),
            List.of("internal.nn"),
            List.of("data"),
            List.of("prune"),
            List.of("train"),
            List.of("checkpoint"),
            List.of("glm"),
            List.of("dl4j"),
            List.of("internal.config"),
            List.of("internal.run"),
            List.of("internal.conformance"),
            List.of("internal.plot", "internal.tensorboard"),
            List.of("internal.demo"),
            List.of("internal.gpusuite"),
            List.of("internal.cli"),
            List.of("spark"));

    /** The application packages: the CLI's, not part of the library. Every other package is the library. */
    static final Set<String> APPLICATION = Set.of("internal.config", "internal.run", "internal.conformance",
            "internal.plot", "internal.tensorboard", "internal.demo", "internal.gpusuite", "internal.cli", "spark");

    /** Every package of {@link #LAYERS}, bottom-up. */
    static final List<String> PACKAGES = LAYERS.stream().flatMap(List::stream).collect(Collectors.toUnmodifiableList());

    private static final Map<String, Integer> LAYER_OF = new HashMap<>();

    static {
        for (int i = 0; i < LAYERS.size(); i++) {
            for (String p : LAYERS.get(i)) {
                LAYER_OF.put(p, i);
            }
        }
    }

    /** The main classes only (no test classes), imported once. */
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ndopt");

    // ---------------------------------------------------------------------------------------------------------------
    // a. layering

    @Test
    void eachPackageUsesOnlyItsOwnAndLowerLayers() {
        classes().that().resideInAPackage("io.ndopt..")
                .should(useOnlyOwnOrLowerLayers())
                .because("a package may use only the packages of its own layer and of the layers before it "
                        + "(ArchitectureTest.LAYERS, bottom-up; README's Layout table): move the type the lower package "
                        + "needs down to it, or let the lower package define the contract (e.g. an internal record) and "
                        + "have the higher one adapt to it; a new package goes into LAYERS and the README table")
                .check(CLASSES);
    }

    /** One violation per (class, used class): the first dependency between the two as the example. */
    private static ArchCondition<JavaClass> useOnlyOwnOrLowerLayers() {
        return new ArchCondition<>("use only io.ndopt packages of their own layer or a lower one") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                String from = shortName(c.getPackageName());
                Integer own = LAYER_OF.get(from);
                if (own == null) {
                    events.add(SimpleConditionEvent.violated(c, c.getName() + " is in package " + from
                            + ", which is in no layer: add it to ArchitectureTest.LAYERS and to README's Layout table"));
                    return;
                }
                Map<String, Dependency> upward = new TreeMap<>();
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass().getBaseComponentType();
                    String to = shortName(target.getPackageName());
                    Integer layer = LAYER_OF.get(to);
                    if (to != null && !to.equals(from) && layer != null && layer > own) {
                        upward.putIfAbsent(target.getName(), d);
                    }
                }
                upward.forEach((target, d) -> {
                    String to = shortName(d.getTargetClass().getBaseComponentType().getPackageName());
                    events.add(SimpleConditionEvent.violated(c, String.format(
                            "%s (%s, LAYERS[%d]) uses %s (%s, LAYERS[%d], higher), e.g. %s",
                            c.getName(), from, own, target, to, LAYER_OF.get(to), d.getDescription())));
                });
            }
        };
    }

    // ---------------------------------------------------------------------------------------------------------------
    // b. no cycles

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.ndopt.(**)").namingSlices("$1")
                .should().beFreeOfCycles()
                .because("packages must form a directed acyclic graph (each package its own slice): break the cycle by "
                        + "moving the shared type to the lower package or by a contract the lower package defines")
                .check(CLASSES);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // c. library never uses the application

    @Test
    void libraryDoesNotUseApplicationPackages() {
        String[] library = PACKAGES.stream().filter(p -> !APPLICATION.contains(p)).map(p -> ROOT + p)
                .toArray(String[]::new);
        String[] application = APPLICATION.stream().sorted().map(p -> ROOT + p).toArray(String[]::new);
        noClasses().that().resideInAnyPackage(library)
                .should().dependOnClassesThat().resideInAnyPackage(application)
                .because("the application packages (the CLI's: " + String.join(", ", application) + ") are not part of "
                        + "the library: move what the library needs into a library package")
                .check(CLASSES);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // d. internal types stay out of the public API

    @Test
    void publicApiSignaturesUseNoInternalTypes() {
        DescribedPredicate<JavaMember> apiMember = DescribedPredicate.describe("are public or protected (not synthetic)",
                m -> isApiVisible(m) && !m.getModifiers().contains(JavaModifier.SYNTHETIC));
        String what = "public API signatures must not name io.ndopt.internal types: give the public type a public "
                + "parameter/return type (or keep the member package-private), or move the type to a public package";
        CompositeArchRule.of(
                        classes().that(API_CLASS).should(haveNoInternalSupertypes()).because(what))
                .and(codeUnits().that(apiMember).and().areDeclaredInClassesThat(API_CLASS)
                        .should(haveNoInternalTypesInSignature()).because(what))
                .and(fields().that(DescribedPredicate.describe("are public or protected (not synthetic)",
                                (JavaField f) -> apiMember.test(f)))
                        .and().areDeclaredInClassesThat(API_CLASS)
                        .should(haveNoInternalFieldType()).because(what))
                .check(CLASSES);
    }

    /** Public classes of public packages, reachable from outside (nested: every enclosing class is API too). */
    private static final DescribedPredicate<JavaClass> API_CLASS =
            DescribedPredicate.describe("are public classes of public (non-internal) io.ndopt packages",
                    ArchitectureTest::isApiClass);

    private static boolean isApiClass(JavaClass c) {
        if (!c.getPackageName().startsWith(ROOT) || isInternal(c) || c.isAnonymousClass() || c.isLocalClass()) {
            return false;
        }
        boolean visible = c.getModifiers().contains(JavaModifier.PUBLIC)
                || (c.isNestedClass() && c.getModifiers().contains(JavaModifier.PROTECTED));
        return visible && c.getEnclosingClass().map(ArchitectureTest::isApiClass).orElse(true);
    }

    private static boolean isApiVisible(HasModifiers m) {
        return m.getModifiers().contains(JavaModifier.PUBLIC) || m.getModifiers().contains(JavaModifier.PROTECTED);
    }

    private static boolean isInternal(JavaClass c) {
        String p = c.getBaseComponentType().getPackageName();
        return p.equals(ROOT + "internal") || p.startsWith(ROOT + "internal.");
    }

    /** The io.ndopt.internal classes among the raw types of {@code type}, generic arguments and bounds included. */
    private static Set<String> internalTypesIn(JavaType type) {
        return type.getAllInvolvedRawTypes().stream().filter(ArchitectureTest::isInternal)
                .map(c -> c.getBaseComponentType().getName()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void report(ConditionEvents events, Object item, String member, String where, Set<String> types) {
        if (!types.isEmpty()) {
            events.add(SimpleConditionEvent.violated(item, member + " names internal " + types + " in its " + where));
        }
    }

    private static ArchCondition<JavaClass> haveNoInternalSupertypes() {
        return new ArchCondition<>("not extend or implement io.ndopt.internal types") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                String name = "Class <" + c.getName() + ">";
                c.getSuperclass().ifPresent(s -> report(events, c, name, "superclass " + s.getName(), internalTypesIn(s)));
                for (JavaType i : c.getInterfaces()) {
                    report(events, c, name, "interface " + i.getName(), internalTypesIn(i));
                }
                for (JavaType v : c.getTypeParameters()) {
                    report(events, c, name, "type parameter " + v.getName(), internalTypesIn(v));
                }
            }
        };
    }

    private static ArchCondition<JavaCodeUnit> haveNoInternalTypesInSignature() {
        return new ArchCondition<>("not name io.ndopt.internal types in parameters, return type, throws or type "
                + "parameters") {
            @Override
            public void check(JavaCodeUnit u, ConditionEvents events) {
                String name = u.getDescription();
                if (u.isMethod()) {
                    report(events, u, name, "return type", internalTypesIn(u.getReturnType()));
                }
                List<JavaType> params = u.getParameterTypes();
                for (int i = 0; i < params.size(); i++) {
                    report(events, u, name, "parameter " + (i + 1), internalTypesIn(params.get(i)));
                }
                for (JavaClass t : u.getThrowsClause().getTypes()) {
                    report(events, u, name, "throws clause", internalTypesIn(t));
                }
                for (JavaType v : u.getTypeParameters()) {
                    report(events, u, name, "type parameter " + v.getName(), internalTypesIn(v));
                }
            }
        };
    }

    private static ArchCondition<JavaField> haveNoInternalFieldType() {
        return new ArchCondition<>("not have an io.ndopt.internal type") {
            @Override
            public void check(JavaField f, ConditionEvents events) {
                report(events, f, f.getDescription(), "type", internalTypesIn(f.getType()));
            }
        };
    }

    // ---------------------------------------------------------------------------------------------------------------
    // e. one entry point

    @Test
    void onlyTheCliHasMainMethods() {
        methods().that().haveName("main").and().arePublic().and().areStatic()
                .and().haveRawParameterTypes(String[].class)
                .should().beDeclaredInClassesThat().resideInAnyPackage(ROOT + "internal.cli", ROOT + "spark")
                .because("the jar's entry points are the CLI (io.ndopt.internal.cli.Main) and the Spark job "
                        + "(io.ndopt.spark.SweepJob, started by spark-submit): make the tool an ndopt "
                        + "command (hidden if need be), or move it to benchmarks/ or to a test")
                .check(CLASSES);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the README's Layout table

    @Test
    void layersAreConsistent() {
        assertEquals(PACKAGES.size(), new LinkedHashSet<>(PACKAGES).size(), "a package in two layers: " + PACKAGES);
        assertTrue(PACKAGES.containsAll(APPLICATION), "APPLICATION packages missing from LAYERS");
        Set<String> inCode = packageDependencies().keySet();
        assertEquals(new TreeSet<>(inCode), new TreeSet<>(PACKAGES),
                "ArchitectureTest.LAYERS must list exactly the packages that have main classes");
    }

    @Test
    void readmeLayoutTableMatchesTheCode() throws IOException {
        List<String[]> rows = layoutRows(Path.of("README.md"));
        List<String> readmePackages = rows.stream().map(r -> unquote(r[0])).collect(Collectors.toList());
        assertEquals(PACKAGES, readmePackages,
                "README.md's Layout table must have one row per package, bottom-up in ArchitectureTest.LAYERS order");

        Map<String, Set<String>> measured = packageDependencies();
        // without a JDK 22+ javac the src/main/java22 classes are missing and their dependencies with them
        boolean java22 = CLASSES.contain(ROOT + "internal.cuda.CudaEngine");
        List<String> problems = new ArrayList<>();
        for (String[] row : rows) {
            String p = unquote(row[0]);
            String kind = APPLICATION.contains(p) ? "application" : p.startsWith("internal.") ? "internal" : "public API";
            if (!row[1].trim().equals(kind)) {
                problems.add(p + ": second column says '" + row[1].trim() + "', should be '" + kind + "'");
            }
            Set<String> documented = usesCell(row[3]);
            Set<String> actual = measured.getOrDefault(p, Set.of());
            boolean ok = java22 ? documented.equals(actual) : documented.containsAll(actual);
            if (!ok) {
                problems.add(p + ": uses cell says " + documented + ", the bytecode uses " + actual + " -> write: "
                        + usesCellText(actual));
            }
        }
        if (!problems.isEmpty()) {
            fail("README.md's Layout table disagrees with the bytecode (fix the table, or the code):\n  "
                    + String.join("\n  ", problems));
        }
    }

    /** Per package (short name, all that have main classes): the io.ndopt packages its classes depend on. */
    static Map<String, Set<String>> packageDependencies() {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (JavaClass c : CLASSES) {
            String from = shortName(c.getPackageName());
            if (from == null) {
                continue;
            }
            Set<String> set = uses.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = shortName(d.getTargetClass().getBaseComponentType().getPackageName());
                if (to != null && !to.equals(from)) {
                    set.add(to);
                }
            }
        }
        return uses;
    }

    /** The rows of the first table under "## Layout", header and separator dropped, split into cells. */
    private static List<String[]> layoutRows(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme);
        int start = lines.indexOf("## Layout");
        assertTrue(start >= 0, "README.md has no '## Layout' section");
        List<String[]> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("|")) {
                inTable = true;
                String[] cells = line.substring(1, line.lastIndexOf('|')).split("\\|", -1);
                assertEquals(4, cells.length, "a Layout row needs 4 cells (package | kind | what it is | uses): " + line);
                if (!cells[0].trim().equals("package") && !cells[0].trim().startsWith("---")) {
                    rows.add(cells);
                }
            } else if (inTable) {
                break;
            }
        }
        return rows;
    }

    private static Set<String> usesCell(String cell) {
        String s = cell.trim();
        if (s.equals("—") || s.isEmpty()) {
            return Set.of();
        }
        return Arrays.stream(s.split(",")).map(ArchitectureTest::unquote).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The cell as README writes it: bottom-up, in backticks. */
    private static String usesCellText(Collection<String> packages) {
        if (packages.isEmpty()) {
            return "—";
        }
        return packages.stream().sorted(Comparator.comparingInt(p -> PACKAGES.indexOf(p)))
                .map(p -> "`" + p + "`").collect(Collectors.joining(", "));
    }

    private static String unquote(String cell) {
        return cell.trim().replace("`", "");
    }

    /** {@code io.ndopt.internal.kernel} -> {@code internal.kernel}; null outside io.ndopt. */
    private static String shortName(String pkg) {
        return pkg.startsWith(ROOT) ? pkg.substring(ROOT.length()) : null;
    }

    /** Prints the measured table cells: run this test alone to regenerate the README's "uses" column. */
    @Test
    void printPackageDependencies() {
        Map<String, Set<String>> measured = packageDependencies();
        Map<String, String> cells = new LinkedHashMap<>();
        for (String p : PACKAGES) {
            cells.put(p, usesCellText(measured.getOrDefault(p, Set.of())));
        }
        cells.forEach((p, c) -> System.out.println("| `" + p + "` | " + c + " |"));
    }
}
