using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Tem.Core.Tests;

/// <summary>Shared FsCheck settings and generators: a fixed seed, so a failure reproduces on every run.</summary>
internal static class Properties
{
    private const ulong Seed = 20261003;

    public static void Check(Property property, int maxTest = 500) =>
        FsCheck.Check.One(
            Config.QuickThrowOnFailure
                .WithMaxTest(maxTest)
                .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(Seed), FSharpOption<int>.None))),
            property);

    public static Gen<string> Digits(int minLength, int maxLength) =>
        from length in Gen.Choose(minLength, maxLength)
        from digits in Gen.ArrayOf(Gen.Elements("0123456789".ToCharArray()), length)
        select new string(digits);

    public static Gen<CurrencyCode> Currency(params string[] codes) =>
        Gen.Elements(codes).Select(CurrencyCode.Parse);

    public static Gen<string> Text(int maxLength) =>
        from length in Gen.Choose(1, maxLength)
        from chars in Gen.ArrayOf(Gen.Elements("abcXYZ019_-:/ .éß漢".ToCharArray()), length)
        select new string(chars);
}
