#!/usr/bin/env python3
"""Marks one version requirement of an ELF64 little-endian shared object weak (VER_FLG_WEAK).

    weaken_version.py LIBRARY VERSION      e.g. libLibTorchSharp.so GLIBCXX_3.4.32

Finds the version-needs table (.gnu.version_r) through the section headers, or through the
dynamic segment (DT_VERNEED, DT_VERNEEDNUM, DT_STRTAB) where there are none, walks its
Verneed/Vernaux entries, and ORs VER_FLG_WEAK (2) into vna_flags of every Vernaux named
VERSION. With the requirement weak, the dynamic loader no longer refuses the library when the
system's libstdc++ lacks that version. Standard library only.

Only for the TorchSharp test fixture (see README.md); it rewrites LIBRARY in place, so give it
a copy, never a file in a NuGet cache. Exit status: 0 when the entry is weak afterwards (also
when it already was: running twice is fine), 1 when the file needs no such version, 2 on a
file it cannot handle.
"""
import struct
import sys

VER_FLG_WEAK = 0x2
SHT_GNU_VERNEED = 0x6FFFFFFE
PT_LOAD, PT_DYNAMIC = 1, 2
DT_NULL, DT_STRTAB, DT_VERNEED, DT_VERNEEDNUM = 0, 5, 0x6FFFFFFE, 0x6FFFFFFF


def fail(message: str) -> "NoReturn":  # noqa: F821
    print(f"weaken_version.py: {message}", file=sys.stderr)
    sys.exit(2)


def cstring(data: bytes, offset: int) -> str:
    end = data.index(b"\0", offset)
    return data[offset:end].decode("ascii", "replace")


def verneed_tables(data: bytes):
    """Yields (file offset of the first Verneed, entry count, file offset of its string table)."""
    e_phoff, e_shoff = struct.unpack_from("<QQ", data, 0x20)
    e_phentsize, e_phnum, e_shentsize, e_shnum = struct.unpack_from("<HHHH", data, 0x36)

    if e_shoff and e_shnum:
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + i * e_shentsize)
                    for i in range(e_shnum)]
        found = False
        for _name, sh_type, _flags, _addr, offset, _size, link, info, _align, _entsize in sections:
            if sh_type == SHT_GNU_VERNEED:
                found = True
                yield offset, info, sections[link][4]  # sh_link: the .dynstr section
        if found:
            return

    # No section headers (stripped): the dynamic segment names the same table by address.
    segments = [struct.unpack_from("<IIQQQQQQ", data, e_phoff + i * e_phentsize)
                for i in range(e_phnum)]

    def to_offset(vaddr: int) -> int:
        for p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz, _memsz, _align in segments:
            if p_type == PT_LOAD and p_vaddr <= vaddr < p_vaddr + p_filesz:
                return vaddr - p_vaddr + p_offset
        fail(f"address {vaddr:#x} lies in no PT_LOAD segment")

    for p_type, _flags, p_offset, _vaddr, _paddr, p_filesz, _memsz, _align in segments:
        if p_type != PT_DYNAMIC:
            continue
        tags = {}
        for pos in range(p_offset, p_offset + p_filesz, 16):
            tag, value = struct.unpack_from("<qQ", data, pos)
            if tag == DT_NULL:
                break
            tags[tag & 0xFFFFFFFFFFFFFFFF] = value
        if DT_VERNEED in tags and DT_STRTAB in tags:
            yield to_offset(tags[DT_VERNEED]), tags.get(DT_VERNEEDNUM, 0), to_offset(tags[DT_STRTAB])


def weaken(path: str, version: str) -> bool:
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            fail(f"{path}: not an ELF64 little-endian file")
        found = changed = False
        for table, count, strtab in verneed_tables(data):
            entry = table
            for _ in range(count):  # Verneed: vn_version, vn_cnt, vn_file, vn_aux, vn_next
                _vn_version, vn_cnt, _vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, entry)
                aux = entry + vn_aux
                for _ in range(vn_cnt):  # Vernaux: vna_hash, vna_flags, vna_other, vna_name, vna_next
                    _hash, flags, _other, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
                    if cstring(data, strtab + vna_name) == version:
                        found = True
                        if not flags & VER_FLG_WEAK:
                            struct.pack_into("<H", data, aux + 4, flags | VER_FLG_WEAK)
                            changed = True
                    if not vna_next:
                        break
                    aux += vna_next
                if not vn_next:
                    break
                entry += vn_next
        if changed:
            f.seek(0)
            f.write(data)
        return found


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(0 if weaken(sys.argv[1], sys.argv[2]) else 1)
