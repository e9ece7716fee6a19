package dev.bitnet.train;

import dev.bitnet.train.loop.MatmulPrecision;

import java.util.ArrayList;
import java.util.List;

/**
 * Every hyperparameter of a training run, with the recipe defaults of MODEL.md
 * ("Training recipe defaults"). A checkpoint stores it; {@code --resume} reads it back.
 *
 * <p>Construction validates every field; an invalid value throws an
 * {@link IllegalArgumentException} naming the field (as spelled on the command line) and the value.
 *
 * @param steps           optimizer updates in the whole run (the schedules span this many)
 * @param batch           sequences per micro-batch
 * @param accum           micro-batches accumulated into one update
 * @param lr              peak learning rate
 * @param minLrRatio      the cosine decays to {@code lr * minLrRatio}
 * @param warmup          linear warm-up steps
 * @param weightDecay     decoupled weight decay, applied to latent matrices only
 * @param beta1           AdamW first-moment decay
 * @param beta2           AdamW second-moment decay
 * @param eps             AdamW denominator epsilon
 * @param gradClip        global gradient-norm limit; 0 turns clipping off
 * @param latentClamp     clamp latent matrices to [-1, 1] after each update
 * @param tauStart        attention temperature at step 0
 * @param tauEnd          attention temperature at the last step
 * @param attentionRamp   the fraction of the steps over which the training forward's attention
 *                        moves linearly from soft ({@code softmax} of the noisy scores) to the hard
 *                        pointer ({@link dev.bitnet.train.optim.Schedules#hardness}); 0: hard
 *                        throughout (checkpoints written before the option read as 0)
 * @param distillFrom     the checkpoint directory of a teacher model with the same vocabulary,
 *                        or {@code null}: the loss is then {@code (1 - distillWeight) * CE +
 *                        distillWeight * cross-entropy against the teacher's next-token distribution}
 * @param distillWeight   the teacher's share of the loss, in [0, 1]; used only with {@code distillFrom}
 * @param noiseEnd        the scale of the attention's Gumbel noise at the last step, reached by a
 *                        cosine from 1 ({@link dev.bitnet.train.optim.Schedules#noiseScale}); the
 *                        training pointer then samples keys from {@code softmax(score / scale)};
 *                        {@code null} (checkpoints written before the option): 1 throughout
 * @param alphaVInit      initial output-head scale {@code alpha_v}; {@code null} keeps MODEL.md's {@code 1/sqrt(d)}
 * @param floatAblation   train the float twin instead of the 1-bit model
 * @param evalEvery       evaluate every this many steps (and at the end); 0 only at the end
 * @param evalBatches     validation batches per evaluation
 * @param checkpointEvery write {@code last/} every this many steps (and at the end); 0 only at the end
 * @param seed            seed of initialisation, data order and Gumbel noise
 * @param device          {@code cpu}, {@code gpu} or {@code gpu:N}; or a comma-separated list of them
 *                        ({@code gpu:0,gpu:1}): data parallel, one replica per device, the {@code accum}
 *                        micro-batches of an update split evenly over them ({@code cpu,cpu} runs
 *                        replicas on the CPU: no faster, a test of that path)
 * @param precision       float32 matrix products on a GPU: {@code fp32} or {@code tf32}
 *                        ({@link dev.bitnet.train.loop.MatmulPrecision}); {@code null} (checkpoints
 *                        written before the option) means {@code fp32}
 * @param threads         PyTorch intra- and inter-op threads; 0 keeps the engine's default
 */
public record TrainConfig(int steps, int batch, int accum, double lr, double minLrRatio, int warmup,
                          double weightDecay, double beta1, double beta2, double eps, double gradClip,
                          boolean latentClamp, double tauStart, double tauEnd, double attentionRamp,
                          String distillFrom, double distillWeight, Double noiseEnd,
                          Double alphaVInit,
                          boolean floatAblation, int evalEvery, int evalBatches, int checkpointEvery,
                          long seed, String device, String precision, int threads) {

    /**
     * The default {@link #noiseEnd()}: the recipe study's best (docs/training.md "Recipe study":
     * 0.2 bits/byte below constant noise on {@code tiny} at 20 M tokens, two seeds).
     */
    public static final double DEFAULT_NOISE_END = 0.01;

    public TrainConfig {
        if (precision == null) {
            precision = "fp32";
        }
        List<String> problems = new ArrayList<>();
        if (steps < 1) {
            problems.add("--steps: must be >= 1, got " + steps);
        }
        if (batch < 1) {
            problems.add("--batch: must be >= 1, got " + batch);
        }
        if (accum < 1) {
            problems.add("--accum: must be >= 1, got " + accum);
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            problems.add("--lr: must be a positive number, got " + lr);
        }
        if (!(minLrRatio >= 0 && minLrRatio <= 1)) {
            problems.add("--min-lr-ratio: must be in [0, 1], got " + minLrRatio);
        }
        if (warmup < 0) {
            problems.add("--warmup: must be >= 0, got " + warmup);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            problems.add("--weight-decay: must be >= 0, got " + weightDecay);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            problems.add("--beta1: must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            problems.add("--beta2: must be in [0, 1), got " + beta2);
        }
        if (!(eps > 0) || !Double.isFinite(eps)) {
            problems.add("--eps: must be a positive number, got " + eps);
        }
        if (!(gradClip >= 0) || !Double.isFinite(gradClip)) {
            problems.add("--grad-clip: must be >= 0 (0 = off), got " + gradClip);
        }
        if (!(tauStart > 0) || !Double.isFinite(tauStart)) {
            problems.add("--tau-start: must be a positive number, got " + tauStart);
        }
        if (!(tauEnd > 0) || !Double.isFinite(tauEnd)) {
            problems.add("--tau-end: must be a positive number, got " + tauEnd);
        }
        if (!(attentionRamp >= 0 && attentionRamp <= 1)) {
            problems.add("--attention-ramp: must be a fraction of the run in [0, 1], got " + attentionRamp);
        } else if (attentionRamp > 0 && floatAblation) {
            problems.add("--attention-ramp: the float twin's attention is always soft; the ramp is for the 1-bit model");
        }
        if (!(distillWeight >= 0 && distillWeight <= 1)) {
            problems.add("--distill-weight: must be in [0, 1], got " + distillWeight);
        }
        if (distillFrom != null && device != null && device.contains(",")) {
            problems.add("--distill-from: distillation runs on one device; " + device + " lists several");
        }
        if (noiseEnd != null && (!(noiseEnd > 0) || noiseEnd > 1)) {
            problems.add("--noise-end: must be in (0, 1], got " + noiseEnd);
        }
        if (alphaVInit != null && (!(alphaVInit > 0) || !Double.isFinite(alphaVInit))) {
            problems.add("--alpha-v-init: must be a positive number, got " + alphaVInit);
        }
        if (evalEvery < 0) {
            problems.add("--eval-every: must be >= 0, got " + evalEvery);
        }
        if (evalBatches < 1) {
            problems.add("--eval-batches: must be >= 1, got " + evalBatches);
        }
        if (checkpointEvery < 0) {
            problems.add("--checkpoint-every: must be >= 0, got " + checkpointEvery);
        }
        List<String> devices = device == null ? List.of() : List.of(device.split(",", -1));
        if (devices.isEmpty() || !devices.stream().allMatch(d -> d.matches("cpu|gpu|gpu:\\d{1,9}"))) {
            problems.add("--device: must be cpu, gpu or gpu:N, or a list of them (gpu:0,gpu:1), got " + device);
        } else if (devices.size() > 1) {
            checkDeviceList(devices, device, accum, problems);
        }
        try {
            if (MatmulPrecision.of(precision) == MatmulPrecision.TF32 && devices.contains("cpu")) {
                problems.add("--precision: tf32 needs --device gpu (on the CPU matrix products are always fp32)");
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (threads < 0) {
            problems.add("--threads: must be >= 0, got " + threads);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid training config: " + String.join("; ", problems));
        }
    }

    /** A list of devices: all GPUs, each once, or all CPU; {@code accum} a multiple of their number. */
    private static void checkDeviceList(List<String> devices, String device, int accum, List<String> problems) {
        boolean cpu = devices.contains("cpu");
        if (cpu && !devices.stream().allMatch("cpu"::equals)) {
            problems.add("--device: " + device + " mixes the CPU and GPUs; data parallel runs on GPUs (or, as a test, "
                    + "on the CPU only: cpu,cpu)");
        } else if (!cpu && devices.stream().map(TrainConfig::gpuIndex).distinct().count() < devices.size()) {
            problems.add("--device: " + device + " names a GPU twice (gpu is gpu:0)");
        }
        if (accum % devices.size() != 0) {
            problems.add("--accum: the " + accum + " micro-batches of an update do not split evenly over the "
                    + devices.size() + " devices of " + device + "; use a multiple of " + devices.size()
                    + " (--batch is per micro-batch, so per device)");
        }
    }

    /**
     * The recipe defaults for {@code steps} updates: peak learning rate 5e-3 (measured for
     * {@code tiny}), warm-up over 5 % of the steps, evaluation and checkpoints every 10 %, no
     * attention ramp, no teacher (a teacher given later weighs 0.5), the attention's noise
     * annealed to {@value #DEFAULT_NOISE_END} of its scale.
     */
    public static TrainConfig defaults(int steps) {
        int tenth = Math.max(1, steps / 10);
        return new TrainConfig(steps, 16, 1, 5e-3, 0.1, steps / 20, 0.1, 0.9, 0.95, 1e-8, 1.0,
                true, 1.0, 0.25, 0.0, null, 0.5, DEFAULT_NOISE_END, null, false, tenth, 20, tenth, 1337L, "cpu", "fp32", 0);
    }

    /** The GPU {@link #device()} names ({@code gpu} is 0, {@code gpu:N} is N), or -1 for the CPU; of a list, its first. */
    public int gpuIndex() {
        return gpuIndex(devices().getFirst());
    }

    /** The devices of {@link #device()}, in order: one, or the replicas of a data-parallel run. */
    public List<String> devices() {
        return List.of(device.split(","));
    }

    private static int gpuIndex(String name) {
        return name.equals("cpu") ? -1 : name.equals("gpu") ? 0 : Integer.parseInt(name.substring("gpu:".length()));
    }

    /** Tokens consumed by one update: {@code batch * accum * context}. */
    public long tokensPerStep(int context) {
        return (long) batch * accum * context;
    }
}
