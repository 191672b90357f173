using SkateBot.Vision.Model;

namespace SkateBot.Vision.Pretrained;

/// <summary>A pretrained backbone (in eval mode, on the CPU) and the input convention its weights expect.</summary>
/// <param name="FromCache">True when <see cref="PretrainedBackbone"/> loaded it from its cache instead of ONNX.</param>
internal sealed record ImportedBackbone(ResNet18Backbone Module, InputConvention Convention, bool FromCache = false);
