using P2P.Storage;
using P2P.Storage.Native;

namespace P2P.Storage.Tests;

public class LevelDbLibraryTests
{
    [Fact]
    public void MissingLibrary_IsReported_WithTheDebianPackageToInstall()
    {
        Assert.Null(LevelDbLibrary.TryLoad(["libleveldb-does-not-exist.so.9"]));
        var error = new LevelDbLibraryMissingException(LevelDbLibrary.CandidateNames[0], LevelDbLibrary.InstallHint);
        Assert.Equal("the LevelDB library libleveldb.so.1d was not found; install it with: apt-get install libleveldb1d", error.Message);
    }

    [Fact]
    public void SystemLibrary_IsFoundUnderItsDebianName()
    {
        Assert.NotNull(LevelDbLibrary.TryLoad(["libleveldb.so.1d"]));
    }
}
