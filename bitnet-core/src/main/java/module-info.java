/**
 * The contracts every bitnet module shares: model configuration and presets, bit packing, the
 * {@code .bit2} file format (reader and writer), the model layout and its float math, the
 * tokenizers, and the project version. No dependencies beyond {@code java.base}.
 */
module dev.bitnet.core {
    exports dev.bitnet.core;
    exports dev.bitnet.core.bits;
    exports dev.bitnet.core.config;
    exports dev.bitnet.core.format;
    exports dev.bitnet.core.model;
    exports dev.bitnet.core.tokenizer;
}
