package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.dialect.OpDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * The ops that belong to no larger family: recurrent layers, detection (non-max suppression),
 * {@code nn.unique}, signal processing (windows, DFT, STFT, mel weights), text features
 * (TF-IDF) and the optimizers of ONNX's training domain. See docs/dialects/nn.md.
 */
public final class MiscOps {

    private MiscOps() {}

    public static List<OpDefinition> all() {
        List<OpDefinition> ops = new ArrayList<>();
        ops.addAll(WindowOp.all());
        ops.addAll(OptimizerOp.all());
        ops.add(new NonMaxSuppressionOp());
        ops.add(new UniqueOp());
        ops.add(new TfIdfVectorizerOp());
        ops.addAll(RecurrentOp.all());
        ops.add(new DftOp());
        ops.add(new StftOp());
        ops.add(new MelWeightMatrixOp());
        ops.add(new DropoutOp());
        return ops;
    }
}
