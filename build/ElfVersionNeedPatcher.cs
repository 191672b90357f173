// MSBuild inline task (see TorchSharpElfFix.targets). Kept dependency-free: it runs inside MSBuild.
using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class SkateBotWeakenElfVersionNeed : Task
{
    [Required] public string Directory { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";

    private static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    };

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        var libs = System.IO.Directory.GetFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        if (libs.Length == 0) return true;
        var system = LibStdCxxCandidates.FirstOrDefault(File.Exists);
        if (system != null && Contains(File.ReadAllBytes(system), Encoding.ASCII.GetBytes(VersionName + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, "System libstdc++ provides " + VersionName + "; no ELF fix needed.");
            return true;
        }
        foreach (var lib in libs)
        {
            var bytes = File.ReadAllBytes(lib);
            var result = Patch(bytes, VersionName);
            if (result == null) { Log.LogWarning(lib + ": no version-need entry " + VersionName + " found; left unchanged."); continue; }
            if (result == false) continue; // already weak
            // Write a new file instead of writing through: the output copy may be a hard link into the NuGet cache.
            var tmp = lib + ".patching";
            File.WriteAllBytes(tmp, bytes);
            File.Delete(lib);
            File.Move(tmp, lib);
            Log.LogMessage(MessageImportance.High, "Marked " + VersionName + " weak in " + lib + " (Debian 12 libstdc++ fix).");
        }
        return true;
    }

    /// <returns>true when patched, false when already weak, null when the entry is absent.</returns>
    private static bool? Patch(byte[] b, string name)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[4] != 2 || b[5] != 1) return null; // ELF64 LE only
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A), shnum = BitConverter.ToUInt16(b, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(b, (int)sh + 4) != 0x6ffffffe) continue; // SHT_GNU_verneed
            long off = BitConverter.ToInt64(b, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(b, (int)sh + 0x28);
            long strOff = BitConverter.ToInt64(b, (int)(shoff + (long)link * shentsize) + 0x18);
            long vn = off;
            while (true)
            {
                int cnt = BitConverter.ToUInt16(b, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(b, (int)vn + 8);
                for (int a = 0; a < cnt; a++)
                {
                    long nameOff = strOff + BitConverter.ToUInt32(b, (int)aux + 8);
                    int end = Array.IndexOf(b, (byte)0, (int)nameOff);
                    if (Encoding.ASCII.GetString(b, (int)nameOff, end - (int)nameOff) == name)
                    {
                        int flags = BitConverter.ToUInt16(b, (int)aux + 4);
                        if ((flags & 2) != 0) return false;
                        BitConverter.GetBytes((ushort)(flags | 2)).CopyTo(b, (int)aux + 4);
                        return true;
                    }
                    uint nextAux = BitConverter.ToUInt32(b, (int)aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = BitConverter.ToUInt32(b, (int)vn + 12);
                if (next == 0) break;
                vn += next;
            }
        }
        return null;
    }

    private static bool Contains(byte[] hay, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= hay.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }
}
