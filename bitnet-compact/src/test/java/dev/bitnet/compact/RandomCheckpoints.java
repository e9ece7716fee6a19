package dev.bitnet.compact;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.model.BitMath;
import dev.bitnet.train.TrainConfig;
import dev.bitnet.train.checkpoint.CheckpointMeta;
import dev.bitnet.train.checkpoint.CheckpointMetrics;
import dev.bitnet.train.checkpoint.CheckpointWriter;
import dev.bitnet.train.model.BitLM;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Checkpoints of randomly initialised {@link BitLM}s, written with the trainer's
 * {@link CheckpointWriter}. With {@code perturb}, alpha, theta, bias, gamma, e_scale and the head
 * are moved off their init values so that the folded thresholds are non-trivial: binary layers
 * get alpha ~ 1 + 0.25 N (2 % negated, one exactly 0) and theta ~ 0.5 N, with one theta set
 * exactly on an attainable {@code (float)((float)(s * c_in) * alpha)} (the {@code >=} boundary);
 * about 3 % of the norm gains are negative and one per norm is 0.
 */
public final class RandomCheckpoints {

    private RandomCheckpoints() {
    }

    /**
     * Writes the checkpoint of a random model of a preset, unperturbed (the trainer's init), for
     * measuring export sizes: {@code RandomCheckpoints DIR PRESET SEED} (see docs/compact.md).
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: RandomCheckpoints DIR PRESET SEED");
            System.exit(2);
        }
        Path dir = write(Path.of(args[0]), ModelConfig.preset(args[1]), Long.parseLong(args[2]), false);
        System.out.println("wrote " + dir);
    }

    /** Writes a checkpoint of a random model to {@code dir} and returns {@code dir}. */
    public static Path write(Path dir, ModelConfig config, long seed, boolean perturb) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            BitLM model = BitLM.builder().setConfig(config).build();
            Engine.getInstance().setRandomSeed((int) seed);
            model.initialize(manager);
            Map<String, NDArray> params = new LinkedHashMap<>();
            model.namedParameters().forEach((name, p) -> params.put(name, p.getArray()));
            if (perturb) {
                perturb(config, params, new SplittableRandom(seed));
            }
            CheckpointMeta meta = new CheckpointMeta(config, false, 0, 0L, TrainConfig.defaults(1), CheckpointMetrics.NONE,
                    null);
            CheckpointWriter.write(dir, meta, params, null);
        }
        return dir;
    }

    private static void perturb(ModelConfig c, Map<String, NDArray> params, SplittableRandom rnd) {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            String name = e.getKey();
            NDArray a = e.getValue();
            float[] v = a.toFloatArray();
            if (name.endsWith(".theta")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.5 * rnd.nextGaussian());
                }
            } else if (name.endsWith(".alpha") && params.containsKey(name.replace(".alpha", ".theta"))) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (1 + 0.25 * rnd.nextGaussian()) * (rnd.nextDouble() < 0.02 ? -1 : 1);
                }
                v[rnd.nextInt(v.length)] = 0f;
            } else if (name.endsWith(".gamma")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (1 + 0.1 * rnd.nextGaussian()) * (rnd.nextDouble() < 0.03 ? -1 : 1);
                }
                v[rnd.nextInt(v.length)] = 0f;
            } else if (name.endsWith(".bias")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.02 * rnd.nextGaussian());
                }
            } else if (!name.endsWith(".weight")) {   // raw alpha, e_scale, head alpha: scale by 1 + 0.1 N
                for (int i = 0; i < v.length; i++) {
                    v[i] *= (float) (1 + 0.1 * rnd.nextGaussian());
                }
            }
            a.set(v);
        }
        // One binary output exactly on its boundary: theta = the float product at some s.
        String module = "layers.0.attn.q";
        float[] alpha = params.get(module + ".alpha").toFloatArray();
        float[] theta = params.get(module + ".theta").toFloatArray();
        int o = alpha[0] == 0f ? 1 : 0;
        float cIn = BitMath.invSqrt(c.dModel());
        theta[o] = ((float) 2 * cIn) * alpha[o];
        params.get(module + ".theta").set(theta);
    }
}
