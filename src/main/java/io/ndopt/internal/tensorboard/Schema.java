package io.ndopt.internal.tensorboard;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;

/**
 * The part of TensorBoard's {@code event.proto}, {@code summary.proto} and {@code tensor.proto} that ndopt writes
 * and reads, declared as protobuf descriptors with TensorBoard's field numbers, so that protobuf-java's
 * {@code DynamicMessage} encodes and parses them (no generated code). Only the wire format matters to a reader:
 * names are TensorBoard's; nested messages ({@code Summary.Value}, {@code SummaryMetadata.PluginData}) are declared
 * top-level, which encodes the same bytes, and the oneofs kept (their members have presence).
 */
final class Schema {
    /** {@code Event}: wall_time 1, step 2, file_version 3, summary 5. */
    static final Descriptor EVENT;
    /** {@code Summary}: repeated value 1. */
    static final Descriptor SUMMARY;
    /** {@code Summary.Value}: tag 1, simple_value 2, histo 5, tensor 8, metadata 9. */
    static final Descriptor VALUE;
    /** {@code SummaryMetadata}: plugin_data 1. */
    static final Descriptor METADATA;
    /** {@code SummaryMetadata.PluginData}: plugin_name 1, content 2. */
    static final Descriptor PLUGIN_DATA;
    /** {@code HistogramProto}: min 1, max 2, num 3, sum 4, sum_squares 5, bucket_limit 6, bucket 7 (packed). */
    static final Descriptor HISTOGRAM;
    /** {@code TensorProto}: dtype 1, tensor_shape 2, string_val 8. */
    static final Descriptor TENSOR;
    /** {@code TensorShapeProto}: dim 2 (none: a scalar). */
    static final Descriptor SHAPE;
    /** {@code DataType.DT_STRING}. */
    static final int DT_STRING = 7;

    static {
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("ndopt/tensorboard_events.proto")
                .setPackage("tensorboard").setSyntax("proto3")
                .addMessageType(oneof(message("Event", field("wall_time", 1, Type.TYPE_DOUBLE),
                        field("step", 2, Type.TYPE_INT64), field("file_version", 3, Type.TYPE_STRING),
                        field("summary", 5, "Summary")), "what", 2, 3))
                .addMessageType(message("Summary", repeated(field("value", 1, "SummaryValue"))))
                .addMessageType(oneof(message("SummaryValue", field("tag", 1, Type.TYPE_STRING),
                        field("simple_value", 2, Type.TYPE_FLOAT), field("histo", 5, "HistogramProto"),
                        field("tensor", 8, "TensorProto"), field("metadata", 9, "SummaryMetadata")), "value", 1, 3))
                .addMessageType(message("SummaryMetadata", field("plugin_data", 1, "PluginData")))
                .addMessageType(message("PluginData", field("plugin_name", 1, Type.TYPE_STRING),
                        field("content", 2, Type.TYPE_BYTES)))
                .addMessageType(message("HistogramProto", field("min", 1, Type.TYPE_DOUBLE),
                        field("max", 2, Type.TYPE_DOUBLE), field("num", 3, Type.TYPE_DOUBLE),
                        field("sum", 4, Type.TYPE_DOUBLE), field("sum_squares", 5, Type.TYPE_DOUBLE),
                        repeated(field("bucket_limit", 6, Type.TYPE_DOUBLE)),
                        repeated(field("bucket", 7, Type.TYPE_DOUBLE))))
                .addMessageType(message("TensorProto", field("dtype", 1, Type.TYPE_INT32),
                        field("tensor_shape", 2, "TensorShapeProto"), repeated(field("string_val", 8, Type.TYPE_BYTES))))
                .addMessageType(message("TensorShapeProto"))
                .build();
        try {
            FileDescriptor fd = FileDescriptor.buildFrom(file, new FileDescriptor[0]);
            EVENT = fd.findMessageTypeByName("Event");
            SUMMARY = fd.findMessageTypeByName("Summary");
            VALUE = fd.findMessageTypeByName("SummaryValue");
            METADATA = fd.findMessageTypeByName("SummaryMetadata");
            PLUGIN_DATA = fd.findMessageTypeByName("PluginData");
            HISTOGRAM = fd.findMessageTypeByName("HistogramProto");
            TENSOR = fd.findMessageTypeByName("TensorProto");
            SHAPE = fd.findMessageTypeByName("TensorShapeProto");
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("the TensorBoard event schema does not build: " + e.getMessage(), e);
        }
    }

    private Schema() {}

    private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
        DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto f : fields) b.addField(f);
        return b.build();
    }

    /**
     * Puts fields {@code from..to} (indices in declaration order) of {@code m} into oneof {@code name}, as in
     * TensorBoard's files: a oneof member has presence, so a scalar 0.0 is written, not dropped as a proto3 default.
     */
    private static DescriptorProto oneof(DescriptorProto m, String name, int from, int to) {
        DescriptorProto.Builder b = m.toBuilder().addOneofDecl(OneofDescriptorProto.newBuilder().setName(name));
        for (int i = from; i <= to; i++) b.setField(i, b.getField(i).toBuilder().setOneofIndex(0).build());
        return b.build();
    }

    private static FieldDescriptorProto field(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(Label.LABEL_OPTIONAL).build();
    }

    private static FieldDescriptorProto field(String name, int number, String message) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(Type.TYPE_MESSAGE)
                .setTypeName(".tensorboard." + message).setLabel(Label.LABEL_OPTIONAL).build();
    }

    private static FieldDescriptorProto repeated(FieldDescriptorProto f) {
        return f.toBuilder().setLabel(Label.LABEL_REPEATED).build();
    }
}
