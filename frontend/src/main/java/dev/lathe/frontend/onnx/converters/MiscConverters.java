package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.OnnxOpRegistry;
import dev.lathe.ir.dialect.nn.OptimizerOp;
import dev.lathe.ir.dialect.nn.RecurrentOp;
import dev.lathe.ir.dialect.nn.WindowOp;

/**
 * Registers the converters of the ops of {@link dev.lathe.ir.dialect.nn.MiscOps}: recurrent
 * layers, detection, Unique, signal processing, TF-IDF and the training-domain optimizers
 * ({@code ai.onnx.preview.training}).
 */
final class MiscConverters {

    /** The domain of ONNX's training ops. */
    static final String TRAINING_DOMAIN = "ai.onnx.preview.training";

    private MiscConverters() {}

    static void registerAll(OnnxOpRegistry r) {
        r.register("NonMaxSuppression", new NonMaxSuppressionConverter());
        r.register("Unique", new UniqueConverter());
        r.register("TfIdfVectorizer", new TfIdfVectorizerConverter());
        r.register("DFT", new DftConverter());
        r.register("STFT", new StftConverter());
        r.register("MelWeightMatrix", new MelWeightMatrixConverter());
        r.register("RNN", new RecurrentConverter(RecurrentOp.Kind.RNN));
        r.register("GRU", new RecurrentConverter(RecurrentOp.Kind.GRU));
        r.register("LSTM", new RecurrentConverter(RecurrentOp.Kind.LSTM));
        r.register("HannWindow", new WindowConverter(WindowOp.Kind.HANN));
        r.register("HammingWindow", new WindowConverter(WindowOp.Kind.HAMMING));
        r.register("BlackmanWindow", new WindowConverter(WindowOp.Kind.BLACKMAN));
        r.register(TRAINING_DOMAIN, "Adagrad", new OptimizerConverter(OptimizerOp.Kind.ADAGRAD));
        r.register(TRAINING_DOMAIN, "Adam", new OptimizerConverter(OptimizerOp.Kind.ADAM));
        r.register(TRAINING_DOMAIN, "Momentum", new OptimizerConverter(OptimizerOp.Kind.MOMENTUM));
    }
}
