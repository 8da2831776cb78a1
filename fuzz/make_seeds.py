#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/.

Seeds come from the published MS-NLMP 4.2 example messages, real-world shapes (curl's
NEGOTIATE, the Linux cifs AUTHENTICATE), tokens captured from the interop test pairs
(tests/gss/interop_gssntlmssp.sh: gss-ntlmssp and sspigss initiators against the sspigss acceptor)
samples of the user-file and configuration formats, and context blobs the module exported
(written back in the older formats too). Signatures and SPNEGO tokens are
computed here with a small model of MS-NLMP 3.4, checked against the spec's examples first.

Run with python3 from anywhere; it rewrites its own seeds and leaves other files alone.
"""

import hashlib
import hmac
import os
import struct
import sys
import zlib

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def unhex(text):
    return bytes.fromhex("".join(text.split()))


def utf16(text):
    return text.encode("utf-16-le")


# ---- MS-NLMP 4.2 example messages (published test vectors) ----

CHALLENGE_V1 = unhex("""
4e544c4d53535000020000000c000c0038000000338202e20123456789abcdef
00000000000000000000000000000000060070170000000f5300650072007600
65007200""")
AUTHENTICATE_V1 = unhex("""
4e544c4d5353500003000000180018006c00000018001800840000000c000c00
480000000800080054000000100010005c000000100010009c000000358280e2
0501280a0000000f44006f006d00610069006e00550073006500720043004f00
4d005000550054004500520098def7b87f88aa5dafe2df779688a172def11c7d
5ccdef1367c43011f30298a2ad35ece64f16331c44bdbed927841f94518822b1
b3f350c8958682ecbb3e3cb7""")
CHALLENGE_V2 = unhex("""
4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef
00000000000000002400240044000000060070170000000f5300650072007600
6500720002000c0044006f006d00610069006e0001000c005300650072007600
6500720000000000""")
AUTHENTICATE_V2 = unhex("""
4e544c4d5353500003000000180018006c00000054005400840000000c000c00
480000000800080054000000100010005c00000010001000d8000000358288e2
0501280a0000000f44006f006d00610069006e00550073006500720043004f00
4d005000550054004500520086c35097ac9cec102554764a57cccc19aaaaaaaa
aaaaaaaa68cd0ab851e51c96aabc927bebef6a1c010100000000000000000000
00000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e00
01000c005300650072007600650072000000000000000000c5dad2544fc97990
94ce1ce90bc9d03e""")
TARGET_INFO_V2 = unhex("02000c0044006f006d00610069006e00 01000c00530065007200760065007200 00000000")
NT_RESPONSE_V2 = AUTHENTICATE_V2[0x84:0x84 + 0x54]
SERVER_CHALLENGE = unhex("0123456789abcdef")
RANDOM_SESSION_KEY = b"\x55" * 16
NT_HASH_PASSWORD = unhex("a4f49c406510bdcab6824ee7c30fd852")  # NTOWFv1("Password")
NTOWFV2 = unhex("0c868a403bfd7a93a3001ef22ef02e3f")  # NTOWFv2("Password", "User", "Domain")
ESS_V1_KEY = unhex("eb93429a8bd952f8b89c55b87f475edc")  # 4.2.3 KeyExchangeKey
PLAINTEXT = utf16("Plaintext")

# GSS_WrapEx examples: (ciphertext, signature)
WRAP_4224 = (unhex("56fe04d861f9319af0d7238a2e3b4d457fb8"), unhex("0100000000000000 09dcd1df2e459d36"))
WRAP_4234 = (unhex("a02372f6530273f3aa1eb90190ce5200c99d"), unhex("01000000ff2aeb52f681793a00000000"))
WRAP_4244 = (unhex("54e50165bf1936dc996020c1811b0f06fb5f"), unhex("010000007fb38ec5c55d497600000000"))

# ---- real-world shapes ----

# curl's NEGOTIATE: TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA=
NEGOTIATE_CURL = unhex("4e544c4d53535000010000000682080000000000000000000000000000000000")
NEGOTIATE_LEGACY = unhex("4e544c4d535350000100000007820000")
# Heimdal 7.8's GSS NTLM initiator: DomainName "TESTDOM" announced at offset 24, inside the
# header, in UTF-16 (the acceptor ignores it); Apache HttpClient 4.5: no REQUEST_TARGET.
NEGOTIATE_HEIMDAL = unhex("4e544c4d5353500001000000311208400e000e0018000000"
                          "0000000000000000540045005300540044004f004d00")
NEGOTIATE_HTTPCLIENT = unhex("4e544c4d5353500001000000018208a200000000280000000000000028000000"
                             "0501280a0000000f")

# Captured from the interop test pairs (TESTDOM\alice, Passw0rd!, acceptor TESTHOST/TESTDOM).
CAPTURED = {
    "negotiate_gssntlmssp": unhex(
        "4e544c4d5353500001000000378208e200000000000000000000000000000000060200000000000f"),
    "negotiate_sspigss": unhex(
        "4e544c4d5353500001000000378208e2000000000000000000000000000000000601b11d0000000f"),
    "challenge_sspigss": unhex("""
        4e544c4d53535000020000000e000e0038000000358289e2357e9574a0771d44000000000000000
        03e003e00460000000601b11d0000000f540045005300540044004f004d0002000e005400450053
        00540044004f004d0001001000540045005300540048004f00530054000300040076006d0007000
        80000dfe65ac07bdd0100000000"""),
    "authenticate_gssntlmssp_mic": unhex("""
        4e544c4d53535000030000000000000048000000a400a400480000000e000e00ec0000000a000a0
        0fa00000004000400040100001000100008010000358289e2060200000000000fe56b1aad90408c
        e68edea34ac141a7e2010100000000000000dfe65ac07bdd016865e2c4f2da2e9e0000000001001
        000540045005300540048004f005300540002000e00540045005300540044004f004d0003000400
        76006d0006000400000000000700080000dfe65ac07bdd0109002a0048005400540050002f00740
        065007300740068006f00730074002e006500780061006d0070006c006500000000000000000054
        0045005300540044004f004d0061006c0069006300650056004d0043577dbb38c061aca23890a7d
        809083b"""),
    "authenticate_sspigss_mic": unhex("""
        4e544c4d53535000030000001800180080000000a400a400980000000e000e00580000000a000a0
        0660000001000100070000000100010003c010000358208e20601b11d0000000fb4fab610d1ca30
        2b53437471bd30acfa540045005300540044004f004d0061006c00690063006500540045005300
        540048004f00530054000000000000000000000000000000000000000000000000005266a42ec95
        e29280d255a93920856b8010100000000000000dfe65ac07bdd01a03c4fe8e6d07bc80000000002
        000e00540045005300540044004f004d0001001000540045005300540048004f00530054000300
        040076006d000700080000dfe65ac07bdd01060004000200000009002a0048005400540050002f0
        0740065007300740068006f00730074002e006500780061006d0070006c00650000000000000000
        00d6f22fabd87dacfa70cfada33f8ffa92"""),
    "spnego_init_gssntlmssp": unhex("""
        604806062b0601050502a03e303ca00e300c060a2b06010401823702020aa22a04284e544c4d535
        3500001000000378208e200000000000000000000000000000000060200000000000f"""),
    "spnego_resp_gssntlmssp": unhex("""
        a182014d30820149a0030a0101a282012c048201284e544c4d53535000030000000000000058000
        000a400a400580000000e000e00fc0000000a000a000a01000004000400140100001000100018010
        000358289e2060200000000000f25c659f161af0f0a95c9a2af12bd58e74131cda71d871fddab83
        75da5307e30b010100000000000000dfe65ac07bdd0108766183217bb0eb000000000100100054
        0045005300540048004f005300540002000e00540045005300540044004f004d00030004007600
        6d0006000400020000000700080000dfe65ac07bdd0109002a0048005400540050002f007400650
        07300740068006f00730074002e006500780061006d0070006c00650000000000000000005400450
        05300540044004f004d0061006c0069006300650056004d00ca8c2b06ebc4bb1e684858751d10f9
        9da312041001000000bb17ed72edf72f7000000000"""),
    "wrap_gssntlmssp": unhex(
        "01000000e7b2454516da651e00000000c0659481c02f1ac6e854c3613d8f1734df5e"),
    "mic_gssntlmssp": unhex("01000000c7b0f973f3e344ae01000000"),
    "wrap_sspigss_server": unhex(
        "0100000036b42c0b5ee4248d0000000020352e5842afc73ec1142c835dfdb8ab81"),
}

# Exported by the module (tests/gss/test_gss_export.c's pair: TESTDOM\alice to HTTP@testhost.example,
# sign and seal), in format 3 without the mechglue's OID prefix: fresh contexts (streams not
# started) and contexts after five sealed messages each way (both RC4 states present).
EXPORTED = {
    "acceptor_fresh": unhex("""
        53474e580300000000358289e23c010000aabc166b0000000067abe33fc6c2468da16782bb46390a41000000
        000000000000000005000000616c6963650700000054455354444f4dffffffff0104000000686f7374020000
        00766dffffffff"""),
    "initiator_fresh": unhex("""
        53474e580300000001358208e23c010000aabc166b0000000067abe33fc6c2468da16782bb46390a41000000
        000000000000000005000000616c6963650700000054455354444f4dffffffff010400000048545450100000
        0074657374686f73742e6578616d706c65ffffffff"""),
    "acceptor_after_messages": unhex("""
        53474e580300000000358289e23c010000aabc166b000000002e1040ef01b7dd5ab3962444bea94f4b050000
        000500000001befa6c588892da0e65fcdbe3b789a5de1755275dd9098f0fadce210291778aa1231f74a7b6c4
        d6346b7897f1be29f324f8526438cc69fbf571c27b0adf62766f597e3573bf56ddbdd416c99e1be4c1f696e1
        402a10acefa20c721848d58ecf7db4468d1422c3ec455e5f790432191aa842bc995b4f1ca0e830ca5181fac0
        47ff36a339e67c670105b1eefd114cb5d0d23c2b3aaa4a8206f0f4c63749b88cbbb9fe680d61d73eea136e31
        5ad8d3d1f2a49a90ba448084e7afb30b93c5dc9f2d4bc741f94e2c9cae8754034da65c081e077ff77a53e09d
        8b2660e2ed638685008320e9a92f50eb9b3b57c895e528941d6612152e433dcd9875b26a3f70b06dab3325cb
        01b4cda05c7ad2376810f5054f3ac019428e53c2ec0247de76f018831e8036d9abcc79e6620ec1041245209f
        d3484ea3ce7e7061715932e1c3e21695bbb89d74c41c8f0d77672ad54d1b913975e3922208d43cadfe0315ee
        8c936d7fe45144a66582552ec6521a3d8d8950874c29a71ff25f852717f1b32d88bffb49d098b0da4a267dd1
        13ac3ef441e08694663b060beb38ea000aaab235f6116a4657e86ec8306b28235b4031aed7f3642bedba0fa5
        21a9545e3369b68a0cdf07b9db6c9ad699bdaf96a8097858979e8481cdc90125ca435d5ab5facff973fc2f2c
        dd8bffb4efd8f81dbe9be5e9e77c6ff734a1149cdc63bc903f7bb1244bfda460b756c5cbc7a2720005000000
        616c6963650700000054455354444f4dffffffff0104000000686f737402000000766dffffffff"""),
    "initiator_after_messages": unhex("""
        53474e580300000001358208e23c010000aabc166b000000002e1040ef01b7dd5ab3962444bea94f4b050000
        000500000001b4cda05c7ad2376810f5054f3ac019428e53c2ec0247de76f018831e8036d9abcc79e6620ec1
        041245209fd3484ea3ce7e7061715932e1c3e21695bbb89d74c41c8f0d77672ad54d1b913975e3922208d43c
        adfe0315ee8c936d7fe45144a66582552ec6521a3d8d8950874c29a71ff25f852717f1b32d88bffb49d098b0
        da4a267dd113ac3ef441e08694663b060beb38ea000aaab235f6116a4657e86ec8306b28235b4031aed7f364
        2bedba0fa521a9545e3369b68a0cdf07b9db6c9ad699bdaf96a8097858979e8481cdc90125ca435d5ab5facf
        f973fc2f2cdd8bffb4efd8f81dbe9be5e9e77c6ff734a1149cdc63bc903f7bb1244bfda460b756c5cbc7a272
        01befa6c588892da0e65fcdbe3b789a5de1755275dd9098f0fadce210291778aa1231f74a7b6c4d6346b7897
        f1be29f324f8526438cc69fbf571c27b0adf62766f597e3573bf56ddbdd416c99e1be4c1f696e1402a10acef
        a20c721848d58ecf7db4468d1422c3ec455e5f790432191aa842bc995b4f1ca0e830ca5181fac047ff36a339
        e67c670105b1eefd114cb5d0d23c2b3aaa4a8206f0f4c63749b88cbbb9fe680d61d73eea136e315ad8d3d1f2
        a49a90ba448084e7afb30b93c5dc9f2d4bc741f94e2c9cae8754034da65c081e077ff77a53e09d8b2660e2ed
        638685008320e9a92f50eb9b3b57c895e528941d6612152e433dcd9875b26a3f70b06dab3325cb0005000000
        616c6963650700000054455354444f4dffffffff0104000000485454501000000074657374686f73742e6578
        616d706c65ffffffff"""),
}


def cifs_shaped(authenticate):
    """The AUTHENTICATE as Linux cifs sends it: VERSION flag set, no version, payload at 64."""
    msg = bytearray(authenticate[:64] + authenticate[72:])
    for i in range(6):
        off = struct.unpack_from("<I", msg, 12 + 8 * i + 4)[0]
        struct.pack_into("<I", msg, 12 + 8 * i + 4, off - 8)
    return bytes(msg)


def negotiate(flags, domain=b"", workstation=b"", version=unhex("0601b11d0000000f")):
    """A NEGOTIATE with OEM domain and workstation fields and a version (MS-NLMP 2.2.1.1)."""
    header = 40
    dom_off = header if domain else 0
    ws_off = header + len(domain) if workstation else 0
    return (b"NTLMSSP\0" + struct.pack("<II", 1, flags) +
            struct.pack("<HHI", len(domain), len(domain), dom_off) +
            struct.pack("<HHI", len(workstation), len(workstation), ws_off) +
            version + domain + workstation)


def av_pair(av_id, value=b""):
    return struct.pack("<HH", av_id, len(value)) + value


# ---- a model of MS-NLMP 3.4 signing and sealing, for computed seeds ----

F_SIGN, F_SEAL, F_LM_KEY = 0x10, 0x20, 0x80
F_ESS, F_128, F_KEY_EXCH, F_56 = 0x00080000, 0x20000000, 0x40000000, 0x80000000


class RC4:
    def __init__(self, key):
        s = list(range(256))
        j = 0
        for i in range(256):
            j = (j + s[i] + key[i % len(key)]) & 0xFF
            s[i], s[j] = s[j], s[i]
        self.s, self.i, self.j = s, 0, 0

    def crypt(self, data):
        out = bytearray()
        s = self.s
        for byte in data:
            self.i = (self.i + 1) & 0xFF
            self.j = (self.j + s[self.i]) & 0xFF
            s[self.i], s[self.j] = s[self.j], s[self.i]
            out.append(byte ^ s[(s[self.i] + s[self.j]) & 0xFF])
        return bytes(out)


def md5(data):
    return hashlib.md5(data).digest()


def hmac_md5(key, data):
    return hmac.new(key, data, hashlib.md5).digest()


class ClientSender:
    """The client-to-server direction of MS-NLMP 3.4.4 for one exported session key."""

    def __init__(self, flags, key):
        self.flags = flags
        if flags & F_ESS:
            self.sign_key = md5(key + b"session key to client-to-server signing key magic constant\0")
            cut = 16 if flags & F_128 else 7 if flags & F_56 else 5
            seal = md5(key[:cut] + b"session key to client-to-server sealing key magic constant\0")
        elif flags & F_LM_KEY:
            seal = key[:7] + b"\xa0" if flags & F_56 else key[:5] + b"\xe5\x38\xb0"
        else:
            seal = key
        self.seal_key = seal
        self.rc4 = RC4(seal)

    def reset(self):
        self.rc4 = RC4(self.seal_key)

    def signature(self, seq, message):
        seq_le = struct.pack("<I", seq)
        if self.flags & F_ESS:
            checksum = hmac_md5(self.sign_key, seq_le + message)[:8]
            if self.flags & F_KEY_EXCH:
                checksum = self.rc4.crypt(checksum)
            return b"\1\0\0\0" + checksum + seq_le
        sealed = self.rc4.crypt(b"\0\0\0\0" + struct.pack("<I", zlib.crc32(message)) + seq_le)
        return b"\1\0\0\0" + b"\0\0\0\0" + sealed[4:]

    def wrap(self, seq, message):
        sealed = self.rc4.crypt(message)
        return self.signature(seq, message), sealed

    def mic(self, seq, message):
        return self.signature(seq, message)


# The flag sets of fuzz_signature.c, in its order, with the keys it uses.
SIGN_SETS = [
    (F_56 | F_128 | F_SIGN | F_SEAL | F_ESS | F_KEY_EXCH, RANDOM_SESSION_KEY),
    (F_56 | F_SIGN | F_SEAL | F_ESS, ESS_V1_KEY),
    (F_56 | F_SIGN | F_SEAL, RANDOM_SESSION_KEY),
    (F_56 | F_SIGN | F_SEAL | F_LM_KEY, RANDOM_SESSION_KEY),
]


def check_model():
    """The model must reproduce the three MS-NLMP GSS_WrapEx examples."""
    for (flags, key), (cipher, sig) in zip(SIGN_SETS, [WRAP_4244, WRAP_4234, WRAP_4224]):
        got_sig, got_cipher = ClientSender(flags, key).wrap(0, PLAINTEXT)
        if (got_sig, got_cipher) != (sig, cipher):
            sys.exit("make_seeds.py: signing model disagrees with MS-NLMP for flags %#x" % flags)


# ---- DER for SPNEGO (RFC 4178) ----

def der(tag, content):
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = bytes([0x81, n])
    else:
        length = bytes([0x82, n >> 8, n & 0xFF])
    return bytes([tag]) + length + content


NTLM_OID = der(0x06, unhex("2b06010401823702020a"))
SPNEGO_OID = der(0x06, unhex("2b0601050502"))
MECH_TYPES = der(0x30, NTLM_OID)  # what the mechListMIC covers


def spnego_init(mech_token):
    init = der(0x30, der(0xA0, MECH_TYPES) + der(0xA2, der(0x04, mech_token)))
    return der(0x60, SPNEGO_OID + der(0xA0, init))


def spnego_resp(mech_token, mech_list_mic=None):
    body = der(0xA0, der(0x0A, b"\x01")) + der(0xA2, der(0x04, mech_token))
    if mech_list_mic is not None:
        body += der(0xA3, der(0x04, mech_list_mic))
    return der(0xA1, der(0x30, body))


# ---- writing ----

written = 0


def seed(target, name, data):
    global written
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)
    written += 1


def pieces(*tokens):
    """fuzz_gss_accept's token framing: each token behind a 2-byte big-endian length."""
    return b"".join(struct.pack(">H", len(t)) + t for t in tokens)


def message_seeds():
    neg_full = negotiate(0xE20882B7 | 0x3000, b"DOMAIN", b"WORKSTATION")
    for name, msg in [("curl", NEGOTIATE_CURL), ("legacy_16_bytes", NEGOTIATE_LEGACY),
                      ("heimdal_7_8", NEGOTIATE_HEIMDAL), ("httpclient_4_5", NEGOTIATE_HTTPCLIENT),
                      ("with_fields_and_version", neg_full),
                      ("gssntlmssp", CAPTURED["negotiate_gssntlmssp"]),
                      ("sspigss", CAPTURED["negotiate_sspigss"])]:
        seed("fuzz_negotiate", name, msg)
    for name, msg in [("ms_nlmp_4_2_2", CHALLENGE_V1), ("ms_nlmp_4_2_4", CHALLENGE_V2),
                      ("sspigss", CAPTURED["challenge_sspigss"])]:
        seed("fuzz_challenge", name, msg)
    for name, msg in [("ms_nlmp_4_2_2_ntlmv1", AUTHENTICATE_V1),
                      ("ms_nlmp_4_2_4_ntlmv2", AUTHENTICATE_V2),
                      ("kernel_cifs_payload_at_64", cifs_shaped(AUTHENTICATE_V2)),
                      ("gssntlmssp_with_mic", CAPTURED["authenticate_gssntlmssp_mic"]),
                      ("sspigss_with_mic", CAPTURED["authenticate_sspigss_mic"])]:
        seed("fuzz_authenticate", name, msg)


def av_seeds():
    captured_ti = CAPTURED["challenge_sspigss"][0x46:]
    full = (av_pair(2, utf16("WS2008R2")) + av_pair(1, utf16("DC-WS2008R2")) +
            av_pair(4, utf16("ws2008r2.local")) + av_pair(3, utf16("dc-ws2008r2.ws2008r2.local")) +
            av_pair(5, utf16("ws2008r2.local")) + av_pair(7, struct.pack("<Q", 0x01CDDE0BC33FE77B)) +
            av_pair(6, struct.pack("<I", 2)) + av_pair(8, bytes(48)) +
            av_pair(10, unhex("6586e99d81c2fc984e47172fd4dd0310")) +
            av_pair(9, utf16("HTTP/dc-ws2008r2.ws2008r2.local")) + av_pair(0))
    seed("fuzz_av_pairs", "ms_nlmp_4_2_4_target_info", TARGET_INFO_V2)
    seed("fuzz_av_pairs", "sspigss_target_info", captured_ti)
    seed("fuzz_av_pairs", "every_pair_channel_binding_capture", full)
    seed("fuzz_av_pairs", "ms_nlmp_4_2_4_nt_response", NT_RESPONSE_V2)


def userdb_seeds():
    seed("fuzz_userdb", "own_format",
         b"#sspigss-users 1\n# DOMAIN:USER:NTHASH\nDomain:User:a4f49c406510bdcab6824ee7c30fd852\n"
         b":anyone:0D72DDDEDDBAE5FF244820E072413B90\r\n")
    seed("fuzz_userdb", "gssntlmssp_format",
         b"TESTDOM:alice:Passw0rd!\nTESTDOM:bob:Secret-2\n\n  # comment\n"
         b"Domain:User:Password\nWS2008R2:Administrator:P@ssw0rd\nDOM:ren\xc3\xa9:p\xc3\xa4ss:word\n")
    seed("fuzz_userdb", "smbpasswd_format",
         b"User:1000:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:A4F49C406510BDCAB6824EE7C30FD852:"
         b"[U          ]:LCT-5F5E1000:\n"
         b"DOMAIN\\bob:1001:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:E19CCF75EE54E06B06A5907AF13CEF42:"
         b"[UX         ]:LCT-5F5E1000:\n"
         b"gone:1002:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:E19CCF75EE54E06B06A5907AF13CEF42:"
         b"[DU         ]:LCT-5F5E1000:\n"
         b"nohash:1003:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:"
         b"[U          ]:LCT-5F5E1000:\n")
    # What must never log on: no password needed (N), trust accounts (W, S, I), a locked
    # account, a machine account, and an old file's line without account flags.
    seed("fuzz_userdb", "smbpasswd_never_log_on",
         b"nopw:1000:NO PASSWORDXXXXXXXXXXXXXXXXXXXXX:NO PASSWORDXXXXXXXXXXXXXXXXXXXXX:"
         b"[NU         ]:LCT-5F5E1000:\n"
         b"WS1$:1001:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:E19CCF75EE54E06B06A5907AF13CEF42:"
         b"[W          ]:LCT-5F5E1000:\n"
         b"PARTNER$:1002:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:E19CCF75EE54E06B06A5907AF13CEF42:"
         b"[I          ]:LCT-5F5E1000:\n"
         b"locked:1003:********************************:E19CCF75EE54E06B06A5907AF13CEF42:"
         b"[LU         ]:LCT-5F5E1000:\n"
         b"old:1004:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:A4F49C406510BDCAB6824EE7C30FD852:"
         b"Old User:/home/old:/bin/sh\n")


def config_seeds():
    seed("fuzz_config", "every_key",
         b"# sspigss NTLM configuration\nuser_file = /etc/sspigss/users\n"
         b"netbios_name = TESTHOST\nnetbios_domain = TESTDOM\ndns_name = testhost.example.com\n"
         b"dns_domain = example.com\nntlmv1 = yes\nlm = no\n")
    seed("fuzz_config", "local_account_keys",
         b"local_uid_min = 0\nlocal_map_domains = PARTNER, corp.example.com,\tOTHER\n")
    seed("fuzz_config", "spacing_and_empty_dns_domain",
         b"\t netbios_name=HOST \r\n\n#c\ndns_domain =\nntlmv1 = FALSE\n")


def signature_seeds():
    for index, (flags, key) in enumerate(SIGN_SETS):
        sender = ClientSender(flags, key)
        sig, cipher = sender.wrap(0, PLAINTEXT)
        seed("fuzz_signature", "set%d_wrap_plaintext" % index, bytes([index]) + sig + cipher)
        sender.reset()
        seed("fuzz_signature", "set%d_mic_seq3" % index,
             bytes([index | 4 | 3 << 3]) + sender.mic(3, PLAINTEXT) + PLAINTEXT)
    seed("fuzz_signature", "captured_wrap", b"\0" + CAPTURED["wrap_gssntlmssp"])
    seed("fuzz_signature", "captured_mic_empty", b"\x0c" + CAPTURED["mic_gssntlmssp"])


def sspi_buffer_seeds():
    def buffer(buffer_type, contents, flags=0):
        return struct.pack("<IHB", buffer_type, len(contents), flags) + contents

    app = b"tls-server-end-point:" + bytes(range(32))
    cb_header = struct.pack("<8I", 0, 0, 0, 0, 0, 0, len(app), 32)
    seed("fuzz_sspi_buffers", "token_and_bindings",
         bytes([2, 0, 16]) + buffer(2, bytes(64)) + buffer(14, cb_header + app))
    addresses = struct.pack("<8I", 2, 4, 32, 2, 4, 36, 4, 40) + b"\x7f\0\0\1" * 3
    seed("fuzz_sspi_buffers", "bindings_with_addresses",
         bytes([1, 0, 0]) + buffer(14 | 0x80000000, addresses))
    seed("fuzz_sspi_buffers", "readonly_and_small_token",
         bytes([4, 0, 32]) + buffer(0, b"") + buffer(1 | 0x80000000, b"data") +
         buffer(2, bytes(8)) + buffer(2, bytes(40)))
    seed("fuzz_sspi_buffers", "null_token_buffer", bytes([1, 0, 5]) + buffer(2, b"", 1))
    seed("fuzz_sspi_buffers", "invalid_version", bytes([1, 1, 5]) + buffer(2, bytes(8)))


def gss_accept_seeds():
    """Exchanges that the fuzz_gss_accept acceptor (server challenge 0123456789abcdef, user
    Domain\\User with password "Password", NTLMv1 allowed) completes, then wrap and MIC tokens."""
    neg_v2 = negotiate(0xE2088237)  # with ESS
    neg_v1 = negotiate(0xE2008237)  # without ESS
    v2 = ClientSender(F_56 | F_128 | F_SIGN | F_SEAL | F_ESS | F_KEY_EXCH, RANDOM_SESSION_KEY)
    sig, cipher = v2.wrap(0, PLAINTEXT)
    mic = v2.mic(1, PLAINTEXT)
    seed("fuzz_gss_accept", "raw_ntlmv2_wrap_mic",
         b"\0" + pieces(neg_v2, AUTHENTICATE_V2, sig + cipher, mic + PLAINTEXT))
    seed("fuzz_gss_accept", "raw_ntlmv2_cifs_bindings",
         b"\3" + pieces(neg_v2, cifs_shaped(AUTHENTICATE_V2), WRAP_4244[1] + WRAP_4244[0]))
    seed("fuzz_gss_accept", "raw_ntlmv1_wrap",
         b"\2" + pieces(neg_v1, AUTHENTICATE_V1, WRAP_4224[1] + WRAP_4224[0]))

    spnego = ClientSender(F_56 | F_128 | F_SIGN | F_SEAL | F_ESS | F_KEY_EXCH, RANDOM_SESSION_KEY)
    list_mic = spnego.mic(0, MECH_TYPES)
    spnego.reset()  # SPNEGO re-keys after the mechListMIC (MS-SPNG 3.3.5.1)
    sig, cipher = spnego.wrap(1, PLAINTEXT)
    seed("fuzz_gss_accept", "spnego_ntlmv2_mechlistmic_wrap",
         b"\2" + pieces(spnego_init(neg_v2), spnego_resp(AUTHENTICATE_V2, list_mic), sig + cipher))
    seed("fuzz_gss_accept", "spnego_ntlmv2_no_mic",
         b"\0" + pieces(spnego_init(neg_v2), spnego_resp(AUTHENTICATE_V2)))
    seed("fuzz_gss_accept", "captured_gssntlmssp_raw",
         b"\2" + pieces(CAPTURED["negotiate_gssntlmssp"], CAPTURED["authenticate_gssntlmssp_mic"]))
    seed("fuzz_gss_accept", "captured_gssntlmssp_spnego",
         b"\2" + pieces(CAPTURED["spnego_init_gssntlmssp"], CAPTURED["spnego_resp_gssntlmssp"]))
    seed("fuzz_gss_accept", "curl_negotiate", b"\0" + pieces(NEGOTIATE_CURL))


def legacy_blob(blob, version, send_pos=0, recv_pos=0):
    """A format-3 blob rewritten as format 2 (or 1: names without a SID list), with keystream
    positions where format 3 has stream states (mech/gss/ntlm_serialize.c)."""
    off = 49
    for _ in range(2):
        off += 1 + 258 if blob[off] == 1 else 1
    names = blob[off:]
    if version == 1:
        names = drop_sid_lists(names)
    return (blob[:4] + struct.pack("<I", version) + blob[8:49] +
            struct.pack("<QQ", send_pos, recv_pos) + names)


def name_fields(names):
    """Splits the two names of a blob into (kind, [strings]) pairs, strings as raw fields."""
    out, off = [], 0
    for _ in range(2):
        kind = names[off]
        off += 1
        fields = []
        if kind != 0xFF:
            for _ in range(3):
                (length,) = struct.unpack_from("<I", names, off)
                size = 4 + (0 if length == 0xFFFFFFFF else length)
                fields.append(names[off:off + size])
                off += size
        out.append((kind, fields))
    return out


def drop_sid_lists(names):
    return b"".join(bytes([kind]) + b"".join(fields[:2]) for kind, fields in name_fields(names))


def with_sids(blob, sids):
    """The blob with a SID list on its source name (as winbind gives a domain user's)."""
    off = 49
    for _ in range(2):
        off += 1 + 258 if blob[off] == 1 else 1
    (kind, fields), (tkind, tfields) = name_fields(blob[off:])
    fields[2] = struct.pack("<I", len(sids)) + sids
    return (blob[:off] + bytes([kind]) + b"".join(fields) + bytes([tkind]) +
            b"".join(tfields))


def import_seeds():
    for name, blob in EXPORTED.items():
        seed("fuzz_import", name, blob)
    seed("fuzz_import", "acceptor_with_sids",
         with_sids(EXPORTED["acceptor_fresh"], b"S-1-5-21-1-2-3-1104,S-1-5-32-545"))
    seed("fuzz_import", "acceptor_version_2",
         legacy_blob(EXPORTED["acceptor_fresh"], 2))
    seed("fuzz_import", "initiator_version_2_replayed",
         legacy_blob(EXPORTED["initiator_fresh"], 2, send_pos=300, recv_pos=200))
    seed("fuzz_import", "acceptor_version_1", legacy_blob(EXPORTED["acceptor_fresh"], 1))



# ---- the PAC's KERB_VALIDATION_INFO (MS-PAC 2.5) as NDR type serialization (MS-RPCE 2.2.6) ----


def ndr_sid(text):
    """An RPC_SID referent: max_count, then the SID (authority big-endian, RIDs little-endian)."""
    parts = text.split("-")
    authority, subs = int(parts[2]), [int(x) for x in parts[3:]]
    return (struct.pack("<IBB", len(subs), 1, len(subs)) + authority.to_bytes(6, "big")
            + b"".join(struct.pack("<I", x) for x in subs))


def ndr_pad(data):
    return data + b"\0" * (-len(data) % 4)


def logon_info(user_rid=1105, groups=(513, 1106), extra=(), resource=(), names=("dcuser",)):
    """PAC_LOGON_INFO: headers, the top pointer, the 216-byte fixed part, then the referents."""
    domain = "S-1-5-21-1004336348-1177238915-682003330"
    ref = [0x20004]

    def pointer(present=True):
        if not present:
            return 0
        ref[0] += 4
        return ref[0]

    strings = list(names) + [None] * (6 - len(names))
    fixed = b"\xff" * 48
    for text in strings:
        n = 0 if text is None else 2 * len(text)
        fixed += struct.pack("<HHI", n, n, pointer(text is not None))
    fixed += struct.pack("<HHIIII", 1, 0, user_rid, 513, len(groups), pointer(bool(groups)))
    fixed += struct.pack("<I", 0x20 if extra else 0) + b"\0" * 16
    fixed += struct.pack("<HHIHHI", 6, 6, pointer(), 14, 14, pointer())
    fixed += struct.pack("<I", pointer()) + b"\0" * 16 + b"\0" * 16 + b"\0" * 8
    fixed += struct.pack("<IIIII", len(extra), pointer(bool(extra)), pointer(bool(resource)),
                         len(resource), pointer(bool(resource)))
    assert len(fixed) == 216

    def ndr_string(text):
        return ndr_pad(struct.pack("<III", len(text), 0, len(text)) + utf16(text))

    body = b"".join(ndr_string(t) for t in strings if t is not None)
    if groups:
        body += struct.pack("<I", len(groups)) + b"".join(struct.pack("<II", g, 7) for g in groups)
    body += ndr_string("DC1") + ndr_string("SSPIGSS") + ndr_pad(ndr_sid(domain))
    if extra:
        body += struct.pack("<I", len(extra))
        body += b"".join(struct.pack("<II", 0x30000 + 4 * i, 7) for i in range(len(extra)))
        body += b"".join(ndr_pad(ndr_sid(sid)) for sid in extra)
    if resource:
        body += ndr_pad(ndr_sid("S-1-5-21-444-555-666"))
        body += struct.pack("<I", len(resource)) + b"".join(
            struct.pack("<II", r, 7) for r in resource)
    obj = struct.pack("<I", 0x20000) + fixed + body
    return struct.pack("<BBHIII", 1, 0x10, 8, 0xCCCCCCCC, len(obj), 0) + obj


def pac_seeds():
    seed("fuzz_pac", "domain_groups", logon_info())
    seed("fuzz_pac", "extra_sids_and_resource_groups",
         logon_info(groups=(513, 1106, 1107), extra=("S-1-18-1", "S-1-5-21-111-222-333-1201"),
                    resource=(1301, 1302), names=("dcuser", "Domain User", "", "")))
    seed("fuzz_pac", "no_groups_no_names", logon_info(groups=(), names=()))
    seed("fuzz_pac", "truncated", logon_info()[:200])


def main():
    check_model()
    message_seeds()
    av_seeds()
    userdb_seeds()
    config_seeds()
    signature_seeds()
    sspi_buffer_seeds()
    gss_accept_seeds()
    import_seeds()
    pac_seeds()
    print("make_seeds.py: wrote %d seeds under %s" % (written, CORPUS))


if __name__ == "__main__":
    main()
