using System.Runtime.CompilerServices;

// The padding and graph-walk helpers are internal; their tests sit beside the public ones.
[assembly: InternalsVisibleTo("SkateBot.Vision.Tests")]
