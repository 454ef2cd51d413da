package dev.lathe.passes.lower.ops;

import dev.lathe.ir.dialect.nn.OptimizerOp;
import dev.lathe.ir.dialect.nn.RecurrentOp;
import dev.lathe.passes.lower.Lowerings;

/**
 * Recurrent cells (RNN, GRU, LSTM), Einsum, Fourier transforms (DFT, STFT), training optimizers
 * and TfIdfVectorizer (see docs/lowering.md). Each op's lowering is its own class here.
 */
public final class SequenceModelLowerings {

    private SequenceModelLowerings() {}

    public static void register(Lowerings r) {
        for (RecurrentOp.Kind kind : RecurrentOp.Kind.values()) {
            r.register(kind.opName, new RecurrentLowering(kind));
        }
        r.register("nn.einsum", new EinsumLowering());
        r.register("nn.dft", FourierLowerings.DFT);
        r.register("nn.stft", FourierLowerings.STFT);
        r.register("nn.tf_idf_vectorizer", new TfIdfVectorizerLowering());
        for (OptimizerOp.Kind kind : OptimizerOp.Kind.values()) {
            r.register(kind.opName, new OptimizerLowering(kind));
        }
    }
}
