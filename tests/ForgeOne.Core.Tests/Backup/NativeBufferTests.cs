using System.Buffers;
using ForgeOne.Core.Backup;

namespace ForgeOne.Core.Tests.Backup;

public sealed class NativeBufferTests
{
    [Fact]
    public void Its_span_memory_and_pinned_address_are_the_same_bytes()
    {
        var buffer = new NativeBuffer(3 << 20);
        try
        {
            Assert.Equal(3 << 20, buffer.Length);
            Assert.Equal(buffer.Length, buffer.Memory.Length);
            buffer.Span.Fill(0x5A);
            buffer.Memory.Span[^1] = 0xA5;

            using var pinned = buffer.Memory[16..].Pin();
            unsafe
            {
                Assert.Equal(0x5A, *(byte*)pinned.Pointer);
                Assert.Equal(0xA5, ((byte*)pinned.Pointer)[buffer.Length - 17]);
            }
        }
        finally
        {
            buffer.Free();
        }
    }

    [Fact]
    public void Once_freed_it_refuses_use_and_a_second_free_does_nothing()
    {
        var buffer = new NativeBuffer(1);
        var memory = buffer.Memory;
        buffer.Free();
        buffer.Free();

        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => memory.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.Pin());
    }

    [Fact]
    public void Releasing_keeps_the_bytes_used_and_gives_the_pages_past_them_back()
    {
        var buffer = new NativeBuffer(2 << 20);
        try
        {
            buffer.Span.Fill(0xEE);
            buffer.ReleaseUnused(100_000);

            Assert.True(buffer.Span[..100_000].IndexOfAnyExcept((byte)0xEE) < 0);
            var pastPages = buffer.Span[(128 * 1024)..];
            if (OperatingSystem.IsLinux())
            {
                // Private pages given back come back zero-filled: the proof that they left the process.
                Assert.True(pastPages.IndexOfAnyExcept((byte)0) < 0);
            }

            // Still a whole buffer: written again, and released again past a smaller use.
            buffer.Span.Fill(0x11);
            buffer.ReleaseUnused(buffer.Length);
            Assert.True(buffer.Span.IndexOfAnyExcept((byte)0x11) < 0);
            buffer.ReleaseUnused(0);
            if (OperatingSystem.IsLinux())
            {
                Assert.True(buffer.Span[(64 * 1024)..].IndexOfAnyExcept((byte)0) < 0);
            }
        }
        finally
        {
            buffer.Free();
        }
    }

    [Fact]
    public void Releasing_refuses_lengths_outside_the_buffer_and_a_freed_buffer()
    {
        var buffer = new NativeBuffer(4096);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.ReleaseUnused(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.ReleaseUnused(4097));
        buffer.Free();
        Assert.Throws<ObjectDisposedException>(() => buffer.ReleaseUnused(0));
    }

    [Fact]
    public void Lengths_under_one_byte_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NativeBuffer(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NativeBuffer(-1));
    }
}
