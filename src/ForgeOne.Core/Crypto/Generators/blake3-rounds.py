#!/usr/bin/env python3
"""Prints the unrolled BLAKE3 rounds pasted into src/ForgeOne.Core/Crypto (Blake3Vector*.cs use --columns, the
default; Blake3Compression.CompressRows uses --rows). Indices are literals so the JIT addresses message words with
constant offsets. The schedule is MSG_SCHEDULE from the reference blake3_impl.h."""
import sys

S = [
 [0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15],
 [2,6,3,10,7,0,4,13,1,11,12,5,9,14,15,8],
 [3,4,10,12,13,2,7,14,6,5,9,0,11,15,8,1],
 [10,7,12,9,14,3,13,15,4,0,11,2,5,8,1,6],
 [12,13,9,11,15,10,14,8,7,2,5,3,0,1,6,4],
 [9,14,11,5,8,12,15,1,13,3,0,10,2,6,4,7],
 [11,15,5,0,1,9,8,6,14,10,2,12,3,4,7,13],
]


def columns():
    ind = " " * 12
    out = []
    for r, s in enumerate(S):
        for step, (b, c, d) in enumerate((([4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]),
                                          ([5, 6, 7, 4], [10, 11, 8, 9], [15, 12, 13, 14]))):
            out.append(f"{ind}// Round {r}: {'columns' if step == 0 else 'diagonals'}.")
            a = [0, 1, 2, 3]
            for half, (rd, rb) in enumerate((("Rot16", "Rot12"), ("Rot8", "Rot7"))):
                mi = [s[8 * step + 2 * i + half] for i in range(4)]
                out.append(ind + "; ".join(f"v{a[i]} += m[{mi[i]}]" for i in range(4)) + ";")
                out.append(ind + "; ".join(f"v{a[i]} += v{b[i]}" for i in range(4)) + ";")
                out.append(ind + "; ".join(f"v{d[i]} = {rd}(v{d[i]} ^ v{a[i]})" for i in range(4)) + ";")
                out.append(ind + "; ".join(f"v{c[i]} += v{d[i]}" for i in range(4)) + ";")
                out.append(ind + "; ".join(f"v{b[i]} = {rb}(v{b[i]} ^ v{c[i]})" for i in range(4)) + ";")
    return out


def rows():
    ind = " " * 12
    out = []
    for r, s in enumerate(S):
        out.append(f"{ind}// Round {r}.")
        out.append(f"{ind}G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, {s[0]}, {s[2]}, {s[4]}, {s[6]}), Message(mz, w, {s[1]}, {s[3]}, {s[5]}, {s[7]}));")
        out.append(f"{ind}Diagonalize(ref r1, ref r2, ref r3);")
        out.append(f"{ind}G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, {s[8]}, {s[10]}, {s[12]}, {s[14]}), Message(mz, w, {s[9]}, {s[11]}, {s[13]}, {s[15]}));")
        out.append(f"{ind}Undiagonalize(ref r1, ref r2, ref r3);")
    return out


print("\n".join(rows() if "--rows" in sys.argv else columns()))
