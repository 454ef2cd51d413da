package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.non_max_suppression}: ONNX NonMaxSuppression. {@code boxes} {@code [B, N, 4]},
 * {@code scores} {@code [B, C, N]} (one float type); result {@code tensor<?x3xi64>}, one row
 * {@code [batch, class, box]} per selected box, by batch, then class, then selection order.
 *
 * <p>Per batch and class: boxes whose score exceeds {@code score_threshold} (all, when absent)
 * are visited by descending score (ties: lower box index first); a box is selected unless its
 * IoU with an already selected box exceeds {@code iou_threshold}, until
 * {@code max_output_boxes_per_class} are selected. Boxes are {@code [y1, x1, y2, x2]} (any two
 * opposite corners) or, with {@code center_point_box}, {@code [x_center, y_center, width, height]}.
 * A box of zero area overlaps nothing (ONNX Runtime's rule). Geometry in double.
 *
 * <p>Static form {@code (boxes, scores)}: attributes {@code max_output_boxes_per_class} (int,
 * default 0: nothing is selected), {@code iou_threshold} (f32, default 0), {@code score_threshold}
 * (f32, optional), {@code center_point_box} (bool, default false). Dynamic form
 * {@code (boxes, scores, max_output_boxes_per_class, iou_threshold[, score_threshold])}: the
 * values as one-element tensors (i64, float, float) read at run time (no fourth operand: no
 * score threshold), with {@code center_point_box} still an attribute.
 * {@code %s = "nn.non_max_suppression"(%b, %s) {max_output_boxes_per_class = 3, iou_threshold = 5.0e-01 : f32}
 * : (tensor<1x6x4xf32>, tensor<1x1x6xf32>) -> tensor<?x3xi64>}
 */
public final class NonMaxSuppressionOp extends AbstractOpDefinition {

    public static final String NAME = "nn.non_max_suppression";

    public NonMaxSuppressionOp() {
        super(NAME, "greedy selection of boxes by score, dropping those that overlap a selected one",
                new OpSchema(2, 5, 1, 0, List.of(AttrSpec.optional("max_output_boxes_per_class", IntegerAttr.class),
                        AttrSpec.optional("iou_threshold", FloatAttr.class),
                        AttrSpec.optional("score_threshold", FloatAttr.class),
                        AttrSpec.optional("center_point_box", BoolAttr.class)), false),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType boxes = NnTypes.tensor(operandTypes, 0);
        TensorType scores = NnTypes.tensor(operandTypes, 1);
        ReductionMath.requireFloat(boxes, "boxes");
        NnTypes.requireSameElementType(boxes, scores);
        if (boxes.rank() != 3 || !ReductionMath.compatible(boxes.dim(2), 4)) {
            throw new InvalidOpException("expects boxes of shape [batches, boxes, 4], found " + boxes.text());
        }
        if (scores.rank() != 3 || !ReductionMath.compatible(boxes.dim(0), scores.dim(0))
                || !ReductionMath.compatible(boxes.dim(1), scores.dim(2))) {
            throw new InvalidOpException("expects scores of shape [batches, classes, boxes] matching boxes "
                    + boxes.text() + ", found " + scores.text());
        }
        if (operandTypes.size() >= 4) {
            for (String name : List.of("max_output_boxes_per_class", "iou_threshold", "score_threshold")) {
                if (attributes.containsKey(name)) {
                    throw new InvalidOpException("expects " + name + " either as an operand or as an attribute, found both");
                }
            }
            scalar(operandTypes, 2, "max_output_boxes_per_class", true);
            scalar(operandTypes, 3, "iou_threshold", false);
            if (operandTypes.size() == 5) {
                scalar(operandTypes, 4, "score_threshold", false);
            }
        } else if (operandTypes.size() != 2) {
            throw new InvalidOpException("expects 2 operands (static form) or 4 to 5 (dynamic form), found "
                    + operandTypes.size());
        }
        return List.of(TensorType.of(ScalarType.I64, TensorType.DYNAMIC, 3));
    }

    private static void scalar(List<Type> operandTypes, int i, String what, boolean integer) {
        TensorType t = NnTypes.tensor(operandTypes, i);
        boolean kindOk = integer ? t.elementType() == ScalarType.I64 : t.elementType().isFloat();
        if (!kindOk || t.rank() > 1 || t.hasStaticShape() && t.numElements() != 1) {
            throw new InvalidOpException("expects " + what + " as one " + (integer ? "i64" : "float") + ", found "
                    + t.text());
        }
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr boxes = operands.get(0);
        DenseElementsAttr scores = operands.get(1);
        Map<String, Attribute> a = op.attributes();
        boolean dynamic = operands.size() >= 4;
        long maxPerClass = dynamic ? operands.get(2).getLong(0) : ReductionMath.integer(a, "max_output_boxes_per_class", 0);
        double iouThreshold = dynamic ? operands.get(3).getDouble(0) : ReductionMath.real(a, "iou_threshold", 0);
        Double scoreThreshold = dynamic ? (operands.size() == 5 ? Double.valueOf(operands.get(4).getDouble(0)) : null)
                : a.containsKey("score_threshold") ? Double.valueOf(ReductionMath.real(a, "score_threshold", 0)) : null;
        boolean center = NnTypes.bool(a, "center_point_box", false);
        int batches = (int) boxes.type().dim(0);
        int n = (int) boxes.type().dim(1);
        int classes = (int) scores.type().dim(1);
        List<long[]> selected = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            double[][] corners = new double[n][];
            for (int i = 0; i < n; i++) {
                corners[i] = corners(boxes, (long) (b * n + i) * 4, center);
            }
            for (int c = 0; c < classes; c++) {
                List<Integer> order = new ArrayList<>();
                long base = (long) (b * classes + c) * n;
                for (int i = 0; i < n; i++) {
                    if (scoreThreshold == null || scores.getDouble(base + i) > scoreThreshold) {
                        order.add(i);
                    }
                }
                order.sort((p, q) -> Double.compare(scores.getDouble(base + q), scores.getDouble(base + p)));
                List<Integer> kept = new ArrayList<>();
                for (int i : order) {
                    if (kept.size() >= maxPerClass) {
                        break;
                    }
                    boolean suppressed = false;
                    for (int k : kept) {
                        suppressed |= iou(corners[i], corners[k]) > iouThreshold;
                    }
                    if (!suppressed) {
                        kept.add(i);
                        selected.add(new long[] {b, c, i});
                    }
                }
            }
        }
        long[] out = new long[selected.size() * 3];
        for (int i = 0; i < selected.size(); i++) {
            System.arraycopy(selected.get(i), 0, out, 3 * i, 3);
        }
        return List.of(NnTypes.integers(ScalarType.I64, new long[] {selected.size(), 3}, out));
    }

    /** {@code [ymin, xmin, ymax, xmax]} of the box at element {@code at}. */
    private static double[] corners(DenseElementsAttr boxes, long at, boolean center) {
        double v0 = boxes.getDouble(at);
        double v1 = boxes.getDouble(at + 1);
        double v2 = boxes.getDouble(at + 2);
        double v3 = boxes.getDouble(at + 3);
        if (center) { // x_center, y_center, width, height
            return new double[] {v1 - v3 / 2, v0 - v2 / 2, v1 + v3 / 2, v0 + v2 / 2};
        }
        return new double[] {Math.min(v0, v2), Math.min(v1, v3), Math.max(v0, v2), Math.max(v1, v3)};
    }

    static double iou(double[] p, double[] q) {
        double areaP = (p[2] - p[0]) * (p[3] - p[1]);
        double areaQ = (q[2] - q[0]) * (q[3] - q[1]);
        if (areaP <= 0 || areaQ <= 0) {
            return 0;
        }
        double h = Math.min(p[2], q[2]) - Math.max(p[0], q[0]);
        double w = Math.min(p[3], q[3]) - Math.max(p[1], q[1]);
        if (h <= 0 || w <= 0) {
            return 0;
        }
        double inter = h * w;
        return inter / (areaP + areaQ - inter);
    }
}
