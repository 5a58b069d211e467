namespace OpenThymos.Server; internal static class Program { private static int Main() => 0; }
