package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.stft}: ONNX STFT, the DFT of overlapping frames. {@code signal} is {@code [B, L, 1]}
 * (real) or {@code [B, L, 2]} (complex); frame {@code f} is {@code signal[b, f·frame_step + j]}
 * for {@code j < frame_length}, times {@code window[j]} (default ones). The result is
 * {@code [B, frames, bins, 2]} with {@code frames = (L - frame_length) / frame_step + 1} and
 * {@code bins = frame_length/2 + 1} when {@code onesided}, else {@code frame_length}.
 *
 * <p>Static form {@code (signal[, window]) {frame_step, frame_length, onesided}}. Dynamic form
 * {@code (signal, frame_step, frame_length[, window]) {onesided}}: one-element integers read at
 * run time; frames and bins are {@code ?}. {@code window} is {@code [frame_length]} of the
 * signal's type. Float types; direct summation in double.
 * {@code %y = "nn.stft"(%s) {frame_step = 8, frame_length = 16, onesided = true}
 * : (tensor<1x128x1xf32>) -> tensor<1x15x9x2xf32>}
 */
public final class StftOp extends AbstractOpDefinition {

    public static final String NAME = "nn.stft";

    public StftOp() {
        super(NAME, "the short-time Fourier transform of a batch of signals",
                new OpSchema(1, 4, 1, 0, List.of(AttrSpec.optional("frame_step", IntegerAttr.class),
                        AttrSpec.optional("frame_length", IntegerAttr.class), AttrSpec.optional("onesided", BoolAttr.class)),
                        false),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType signal = NnTypes.tensor(operandTypes, 0);
        ReductionMath.requireFloat(signal, "signal");
        Fourier.requireComplexDim(signal, "signal");
        if (signal.rank() != 3) {
            throw new InvalidOpException("expects a signal of shape [batch, length, 1 or 2], found " + signal.text());
        }
        boolean dynamic = operandTypes.size() >= 3;
        TensorType window = operandTypes.size() == 2 || operandTypes.size() == 4
                ? NnTypes.tensor(operandTypes, operandTypes.size() - 1) : null;
        long frames = TensorType.DYNAMIC;
        long bins = TensorType.DYNAMIC;
        if (dynamic) {
            for (int i = 1; i <= 2; i++) {
                TensorType t = NnTypes.tensor(operandTypes, i);
                if (!t.elementType().isInteger() || t.hasStaticShape() && t.numElements() != 1) {
                    throw new InvalidOpException("expects frame_step and frame_length as one integer each, found "
                            + t.text());
                }
            }
            if (attributes.containsKey("frame_step") || attributes.containsKey("frame_length")) {
                throw new InvalidOpException("expects frame_step and frame_length as operands or attributes, found both");
            }
        } else {
            long step = ReductionMath.integer(attributes, "frame_step", 0);
            long length = ReductionMath.integer(attributes, "frame_length", 0);
            if (step < 1 || length < 1) {
                throw new InvalidOpException("expects frame_step and frame_length >= 1, found " + step + " and " + length);
            }
            long l = signal.dim(1);
            frames = l == TensorType.DYNAMIC ? l : l < length ? 0 : (l - length) / step + 1;
            bins = Fourier.bins(length, NnTypes.bool(attributes, "onesided", true));
        }
        if (window != null && (window.elementType() != signal.elementType() || window.rank() != 1
                || !dynamic && !ReductionMath.compatible(window.dim(0), ReductionMath.integer(attributes, "frame_length", 0)))) {
            throw new InvalidOpException("expects a window of shape [frame_length] of the signal's type, found "
                    + window.text());
        }
        return List.of(TensorType.of(signal.elementType(), signal.dim(0), frames, bins, 2));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr signal = operands.get(0);
        Map<String, Attribute> a = op.attributes();
        boolean dynamic = operands.size() >= 3;
        int step = (int) (dynamic ? operands.get(1).getLong(0) : ReductionMath.integer(a, "frame_step", 0));
        int length = (int) (dynamic ? operands.get(2).getLong(0) : ReductionMath.integer(a, "frame_length", 0));
        DenseElementsAttr window = operands.size() == 2 || operands.size() == 4 ? operands.get(operands.size() - 1) : null;
        if (step < 1 || length < 1 || window != null && window.numElements() != length) {
            throw new InvalidOpException("expects frame_step, frame_length >= 1 and a window of frame_length elements,"
                    + " found " + step + ", " + length + " and " + (window == null ? "none" : window.type().text()));
        }
        long[] shape = signal.type().shapeArray();
        int batches = (int) shape[0];
        int l = (int) shape[1];
        int parts = (int) shape[2];
        int frames = l < length ? 0 : (l - length) / step + 1;
        int bins = (int) Fourier.bins(length, NnTypes.bool(a, "onesided", true));
        double[] out = new double[batches * frames * bins * 2];
        for (int b = 0; b < batches; b++) {
            for (int f = 0; f < frames; f++) {
                double[] re = new double[length];
                double[] im = new double[length];
                for (int j = 0; j < length; j++) {
                    long at = ((long) b * l + f * step + j) * parts;
                    double w = window == null ? 1 : window.getDouble(j);
                    re[j] = signal.getDouble(at) * w;
                    im[j] = parts == 2 ? signal.getDouble(at + 1) * w : 0;
                }
                double[][] y = Fourier.transform(re, im, false, bins);
                for (int k = 0; k < bins; k++) {
                    int at = ((b * frames + f) * bins + k) * 2;
                    out[at] = y[0][k];
                    out[at + 1] = y[1][k];
                }
            }
        }
        return List.of(NnTypes.floats(signal.elementType(), new long[] {batches, frames, bins, 2}, out));
    }
}
