package dev.bitnet.train.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.bitnet.core.config.ModelConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measures forward + backward tokens/s of {@link BitLM} on random tokens (no optimizer): a
 * harness, not a test. Arguments: {@code [preset=tiny] [batch=16] [context=256] [steps=12] [float]}.
 * Threads come from {@code -Dai.djl.pytorch.num_threads}.
 */
public final class TrainStepThroughput {

    private TrainStepThroughput() {
    }

    public static void main(String[] args) throws Exception {
        ModelConfig config = ModelConfig.preset(args.length > 0 ? args[0] : "tiny");
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int context = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 12;
        boolean floatAblation = args.length > 4 && args[4].equals("float");
        List<Double> forward = new ArrayList<>();
        List<Double> backward = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            BitLM lm = BitLM.builder().setConfig(config).optFloatAblation(floatAblation).build();
            lm.initialize(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            for (int s = 0; s < steps; s++) {
                lm.setNoiseSeed(1, s);
                try (NDManager step = manager.newSubManager();
                     GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray tokens = step.randomInteger(0, config.vocabSize(), new Shape(batch, context + 1), DataType.INT32);
                    NDArray x = tokens.get(":, :-1");
                    NDArray y = tokens.get(":, 1:").toType(DataType.INT64, false);
                    long t0 = System.nanoTime();
                    NDArray logits = lm.forward(ps, new NDList(x), true).singletonOrThrow();
                    NDArray loss = logits.logSoftmax(-1).gather(y.expandDims(-1), -1).mean().neg();
                    float lossValue = loss.getFloat();
                    long t1 = System.nanoTime();
                    gc.backward(loss);
                    long t2 = System.nanoTime();
                    for (Parameter p : lm.namedParameters().values()) {
                        NDArray g = p.getArray().getGradient();
                        g.attach(step);
                        g.subi(g);
                    }
                    forward.add((t1 - t0) / 1e9);
                    backward.add((t2 - t1) / 1e9);
                    System.out.printf("step %d | loss %.4f | forward %.3f s | backward %.3f s | %.0f tok/s%n",
                            s, lossValue, (t1 - t0) / 1e9, (t2 - t1) / 1e9, batch * context / ((t2 - t0) / 1e9));
                }
            }
        }
        int warmup = Math.min(2, steps - 1);
        double f = median(forward.subList(warmup, steps));
        double b = median(backward.subList(warmup, steps));
        System.out.printf("%s%s B=%d T=%d: median forward %.3f s, backward %.3f s, %.0f tokens/s, RSS %d MB%n",
                floatAblation ? "float twin " : "1-bit ", config, batch, context, f, b, batch * context / (f + b), rssMb());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static long rssMb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
