// The racing process of the confinement race suite: tests/racer/racer.c, compiled once per test run and driven over stdin.
using System.Diagnostics;
using Xunit;

namespace OpenThymos.Core.Tests.FileSystem;

/// <summary>
/// Runs tests/racer/racer.c (compiled with cc, gcc or clang into a temp folder) as a separate process that swaps a
/// workspace path with symbolic links in a tight loop. <see cref="Pause"/> stops it with the real folder or file back
/// in place (so the test can set up files without writing through a link) and <see cref="Resume"/> restarts it.
/// </summary>
internal sealed class Racer : IDisposable
{
    private static readonly Lazy<string> Binary = new(Compile);
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;

    public Racer(string mode, string path, params string[] targets)
    {
        var start = new ProcessStartInfo(Binary.Value) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(mode);
        start.ArgumentList.Add(path);
        foreach (var target in targets)
        {
            start.ArgumentList.Add(target);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("the racer did not start");
        Expect("running");
    }

    /// <summary>How many swaps the racer made, known after <see cref="Stop"/>.</summary>
    public long Swaps { get; private set; }

    public void Pause()
    {
        _process.StandardInput.Write('p');
        _process.StandardInput.Flush();
        Expect("paused");
    }

    public void Resume()
    {
        _process.StandardInput.Write('r');
        _process.StandardInput.Flush();
        Expect("running");
    }

    /// <summary>Stops the racer with the real folder or file back in place and returns its swap count.</summary>
    public long Stop()
    {
        _process.StandardInput.Write('q');
        _process.StandardInput.Flush();
        var line = Expect("swaps ");
        Swaps = long.Parse(line["swaps ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(_process.WaitForExit(AnswerTimeout), "the racer did not exit after 'q'");
        return Swaps;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(AnswerTimeout);
        }

        _process.Dispose();
    }

    private string Expect(string prefix)
    {
        var read = _process.StandardOutput.ReadLineAsync();
        Assert.True(read.Wait(AnswerTimeout), $"the racer did not answer '{prefix.Trim()}' within {AnswerTimeout.TotalSeconds} s");
        var line = read.Result ?? throw new InvalidOperationException("the racer exited early");
        Assert.StartsWith(prefix, line, StringComparison.Ordinal);
        return line;
    }

    private static string Compile()
    {
        var source = FindSource();
        var folder = Path.Combine(Path.GetTempPath(), "thymos-racer-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var output = Path.Combine(folder, "racer");
        foreach (var compiler in new[] { "cc", "gcc", "clang" })
        {
            try
            {
                using var build = Process.Start(new ProcessStartInfo(compiler) { ArgumentList = { "-O2", "-o", output, source }, RedirectStandardError = true, UseShellExecute = false });
                if (build is null)
                {
                    continue;
                }

                var errors = build.StandardError.ReadToEnd();
                Assert.True(build.WaitForExit(120_000), $"{compiler} did not finish compiling {source}");
                if (build.ExitCode == 0)
                {
                    return output;
                }

                throw new InvalidOperationException($"{compiler} could not compile {source}: {errors}");
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // This compiler is not installed; try the next.
            }
        }

        throw new InvalidOperationException($"The confinement race suite needs a C compiler (cc, gcc or clang) on PATH to build {source}; install one (for example 'apt-get install gcc').");
    }

    private static string FindSource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "racer", "racer.c");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"tests/racer/racer.c was not found above {AppContext.BaseDirectory}.");
    }
}
