using SkiaSharp;

namespace SkateBot.Vision.Reports;

/// <summary>
/// Typefaces for report text. DejaVu Sans where installed; otherwise Skia's default typeface, so a machine
/// without that font still gets readable (if plainer) reports instead of an exception or blank labels.
/// </summary>
public static class ReportFonts
{
    public const string PreferredFamily = "DejaVu Sans";

    private static readonly Lazy<SKTypeface> RegularFace = new(() => Resolve(PreferredFamily, SKFontStyle.Normal));
    private static readonly Lazy<SKTypeface> BoldFace = new(() => Resolve(PreferredFamily, SKFontStyle.Bold));

    /// <summary>Whether <see cref="PreferredFamily"/> is installed (plots then use it too).</summary>
    public static bool PreferredFamilyInstalled => RegularFace.Value.FamilyName == PreferredFamily;

    /// <summary>The named family in the given style, or <see cref="SKTypeface.Default"/> when it is not installed.</summary>
    public static SKTypeface Resolve(string family, SKFontStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        return SKFontManager.Default.MatchFamily(family, style) ?? SKTypeface.Default;
    }

    internal static SKFont Create(float size, bool bold = false) =>
        new(bold ? BoldFace.Value : RegularFace.Value, size) { Edging = SKFontEdging.Antialias, Subpixel = true };
}
