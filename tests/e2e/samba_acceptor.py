#!/usr/bin/python3
"""A GSS NTLMSSP initiator (whichever module GSS_MECH_CONFIG names) against Samba's ntlm_auth
as the acceptor: raw NTLMSSP (squid-2.5-ntlmssp) and SPNEGO (gss-spnego), right and wrong
passwords; then, from the session key and flags Samba reports (GK/GF), checks signing and
sealing in both directions with impacket's MS-NLMP 3.4 code standing in for Samba's side.

usage: samba_acceptor.py --label NAME --smb-conf FILE [--ntlm-auth PATH]
       [--user 'TESTDOM\\alice'] [--password PW]
Default credentials (NTLMUSER, NTLM_USER_FILE) must hold the same user and password.
Prints one PASS:/FAIL:/SKIP: line per case; exits 1 if any case failed."""

import argparse
import base64
import hmac
import os
import select
import subprocess
import sys

import gssapi
import gssapi.raw as graw

try:
    from Cryptodome.Cipher import ARC4
    from impacket import ntlm as nlmp
except ImportError:  # the protection checks are skipped, visibly
    ARC4 = nlmp = None

NTLM_OID = gssapi.OID.from_int_seq('1.3.6.1.4.1.311.2.2.10')
SPNEGO_OID = gssapi.OID.from_int_seq('1.3.6.1.5.5.2')
SSPI_SESSION_KEY_OID = gssapi.OID.from_int_seq('1.2.840.113554.1.2.2.5.5')
NEGOTIATE_SIGN = 0x10
NEGOTIATE_SEAL = 0x20
NEGOTIATE_ESS = 0x80000
NEGOTIATE_128 = 0x20000000
NEGOTIATE_KEY_EXCH = 0x40000000
HELPER_TIMEOUT = 20
MAX_LEGS = 4

failures = 0


def report(kind, label, text, details=()):
    global failures
    if kind == 'FAIL':
        failures += 1
    print('%s: %s: %s' % (kind, label, text))
    for line in details:
        print('    ' + line)
    sys.stdout.flush()


class Helper:
    """One ntlm_auth process in server mode; one request line in, one answer line out."""

    def __init__(self, ntlm_auth, smb_conf, protocol, password):
        self.argv = [ntlm_auth, '--configfile=' + smb_conf, '--helper-protocol=' + protocol,
                     '--password=' + password]
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.pending = b''
        self.transcript = []

    def ask(self, line):
        self.transcript.append('helper << ' + line)
        self.proc.stdin.write(line.encode() + b'\n')
        self.proc.stdin.flush()
        while b'\n' not in self.pending:
            ready, _, _ = select.select([self.proc.stdout], [], [], HELPER_TIMEOUT)
            chunk = os.read(self.proc.stdout.fileno(), 65536) if ready else b''
            if not chunk:
                self.transcript.append('helper >> (no answer: timeout or exit)')
                return ''
            self.pending += chunk
        answer, self.pending = self.pending.split(b'\n', 1)
        answer = answer.decode(errors='replace')
        self.transcript.append('helper >> ' + answer)
        return answer

    def close(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=HELPER_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def der_elements(data):
    """Splits DER TLVs at one level into (tag, value) pairs; None if malformed."""
    out = []
    pos = 0
    while pos < len(data):
        if pos + 2 > len(data):
            return None
        tag, length = data[pos], data[pos + 1]
        pos += 2
        if length & 0x80:
            count = length & 0x7f
            if count == 0 or count > 3 or pos + count > len(data):
                return None
            length = int.from_bytes(data[pos:pos + count], 'big')
            pos += count
        if pos + length > len(data):
            return None
        out.append((tag, data[pos:pos + length]))
        pos += length
    return out


def neg_token_resp_has_mic(token):
    """True if a SPNEGO NegTokenResp ([1] SEQUENCE {...}) carries mechListMIC ([3])."""
    outer = der_elements(token)
    if not outer or outer[0][0] != 0xa1:
        return False
    seq = der_elements(outer[0][1])
    if not seq or seq[0][0] != 0x30:
        return False
    fields = der_elements(seq[0][1]) or []
    return any(tag == 0xa3 for tag, _ in fields)


class Handshake:
    """Drives a GSS initiator context against one helper and keeps what happened."""

    def __init__(self, helper, mech, creds):
        self.helper = helper
        self.ctx = gssapi.SecurityContext(
            name=gssapi.Name('HTTP@testhost.example', gssapi.NameType.hostbased_service),
            mech=mech, usage='initiate', creds=creds,
            flags=gssapi.RequirementFlag.integrity | gssapi.RequirementFlag.confidentiality)
        self.answer = ''
        self.error = None
        self.sent = []

    def run(self):
        try:
            token = self.ctx.step(None)
            verb = 'YR'
            for _ in range(MAX_LEGS):
                self.sent.append(token)
                self.answer = self.helper.ask(verb + ' ' + base64.b64encode(token).decode())
                verb = 'KK'
                if not self.answer.startswith('TT '):
                    break
                token = self.ctx.step(base64.b64decode(self.answer.split(' ', 2)[1]))
            # gss-spnego's "AF <token> user": the accept-completed token carries Samba's
            # mechListMIC, which the initiator must verify before it counts as complete.
            words = self.answer.split(' ')
            if words[0] == 'AF' and not self.ctx.complete and len(words) >= 3:
                self.ctx.step(base64.b64decode(words[1]))
        except gssapi.exceptions.GSSError as err:
            self.error = str(err).replace('\n', ' ')
        return self

    def accepted_user(self):
        """The user name Samba reports after "AF" (the last word), or None."""
        words = self.answer.split(' ')
        return words[-1] if words[0] == 'AF' and len(words) >= 2 else None

    def details(self):
        lines = list(self.helper.transcript)
        if self.error:
            lines.append('initiator error: ' + self.error)
        return lines


class SambaSide:
    """Samba's half of the session security, rebuilt from its exported session key and
    negotiated flags with impacket (an implementation independent of both initiators).
    first_seq is 1 after SPNEGO, whose mechListMIC used sequence number 0 each way; the
    RC4 handles start afresh there too (MS-SPNG 3.3.5.1, as Windows, Samba and
    gss-ntlmssp do)."""

    def __init__(self, flags, session_key, first_seq):
        self.flags = flags
        self.cli_sign = nlmp.SIGNKEY(flags, session_key, 'Client')
        self.cli_rc4 = ARC4.new(nlmp.SEALKEY(flags, session_key, 'Client')).encrypt
        self.srv_sign = nlmp.SIGNKEY(flags, session_key, 'Server')
        self.srv_rc4 = ARC4.new(nlmp.SEALKEY(flags, session_key, 'Server')).encrypt
        self.cli_seq = self.srv_seq = first_seq

    def verify_mic(self, message, mic):
        want = nlmp.SIGN(self.flags, self.cli_sign, message, self.cli_seq, self.cli_rc4)
        self.cli_seq += 1
        return hmac.compare_digest(want.getData(), mic)

    def unwrap(self, token):
        """Returns the plaintext of a sealed wrap token, or None if its signature is wrong."""
        plain = self.cli_rc4(token[16:])
        want = nlmp.MAC(self.flags, self.cli_rc4, self.cli_sign, self.cli_seq, plain)
        self.cli_seq += 1
        return plain if hmac.compare_digest(want.getData(), token[:16]) else None

    def get_mic(self, message):
        mic = nlmp.SIGN(self.flags, self.srv_sign, message, self.srv_seq, self.srv_rc4)
        self.srv_seq += 1
        return mic.getData()

    def wrap(self, message):
        sealed, sig = nlmp.SEAL(self.flags, self.srv_sign, self.srv_rc4, message, message,
                                self.srv_seq, self.srv_rc4)
        self.srv_seq += 1
        return sig.getData() + sealed


def check_protection(label, hs, first_seq):
    """Session key and flags from Samba (GK, GF), then sign/seal both ways against them."""
    key_answer = hs.helper.ask('GK')
    flags_answer = hs.helper.ask('GF')
    if not key_answer.startswith('GK ') or not flags_answer.startswith('GF '):
        report('SKIP', label, 'ntlm_auth gave no session key or flags (%r, %r)'
               % (key_answer, flags_answer))
        return
    samba_key = base64.b64decode(key_answer.split(' ', 1)[1])
    flags = int(flags_answer.split(' ', 1)[1], 16)

    try:
        ours = graw.inquire_sec_context_by_oid(hs.ctx, SSPI_SESSION_KEY_OID)
        our_key = bytes(ours[0]) if ours else b''
    except gssapi.exceptions.GSSError as err:
        our_key, hs.error = b'', str(err).replace('\n', ' ')
    if len(samba_key) == 16 and hmac.compare_digest(our_key, samba_key):
        report('PASS', label, 'session key equals the one Samba derived (GK)')
    else:
        report('FAIL', label, 'session key differs from Samba\'s GK (%d vs %d bytes)'
               % (len(our_key), len(samba_key)), hs.details())
        return

    wanted = NEGOTIATE_SIGN | NEGOTIATE_SEAL | NEGOTIATE_ESS | NEGOTIATE_128 | NEGOTIATE_KEY_EXCH
    have = hs.ctx.actual_flags
    if (flags & wanted) == wanted and gssapi.RequirementFlag.integrity in have \
            and gssapi.RequirementFlag.confidentiality in have:
        report('PASS', label, 'Samba negotiated 0x%08x (SIGN SEAL ESS 128 KEY_EXCH), context '
               'grants integrity and confidentiality' % flags)
    else:
        report('FAIL', label, 'negotiated flags 0x%08x lack some of 0x%08x, or context flags '
               '%s lack integ/conf' % (flags, wanted, have), hs.details())
        return

    if nlmp is None:
        report('SKIP', label, 'sign/seal against Samba\'s keys: python3-impacket not installed')
        return
    samba = SambaSide(flags, samba_key, first_seq)
    try:
        message = b'initiator to Samba, signed'
        mic_ok = samba.verify_mic(message, hs.ctx.get_signature(message))
        message = b'initiator to Samba, sealed'
        wrapped = hs.ctx.wrap(message, True)
        unsealed = samba.unwrap(wrapped.message)
        if mic_ok and wrapped.encrypted and unsealed == message:
            report('PASS', label, 'get_mic and sealed wrap verify under Samba\'s client keys')
        else:
            report('FAIL', label, 'Samba\'s keys reject our tokens (mic %s, sealed %s, unseal %s)'
                   % (mic_ok, wrapped.encrypted, unsealed == message))

        message = b'Samba to initiator, signed'
        hs.ctx.verify_signature(message, samba.get_mic(message))
        message = b'Samba to initiator, sealed'
        unwrapped = hs.ctx.unwrap(samba.wrap(message))
        if unwrapped.message == message and unwrapped.encrypted:
            report('PASS', label, 'verify_mic and unwrap accept tokens under Samba\'s server keys')
        else:
            report('FAIL', label, 'unwrap of a Samba-keyed token gave %r (encrypted %s)'
                   % (unwrapped.message, unwrapped.encrypted))
    except gssapi.exceptions.GSSError as err:
        report('FAIL', label, 'protection call failed: ' + str(err).replace('\n', ' '))
        return

    token = bytearray(samba.wrap(b'tampered in transit'))
    token[-1] ^= 0x01
    try:
        hs.ctx.unwrap(bytes(token))
        report('FAIL', label, 'unwrap accepted a token with a flipped sealed byte')
    except gssapi.exceptions.GSSError:
        report('PASS', label, 'unwrap rejects a Samba-keyed token with a flipped sealed byte')


def password_creds(user, password, mech):
    name = gssapi.Name(user, gssapi.NameType.user)
    return graw.acquire_cred_with_password(name, password.encode(), usage='initiate',
                                           mechs=[mech]).creds


def run_case(args, protocol, mech, creds_desc, creds, expect_accept):
    label = '%s -> ntlm_auth %s (%s)' % (args.label, protocol, creds_desc)
    helper = Helper(args.ntlm_auth, args.smb_conf, protocol, args.password)
    try:
        hs = Handshake(helper, mech, creds).run()
        user = hs.accepted_user()
        if not expect_accept:
            # Samba must be the one saying no: an initiator that gives up first proves nothing.
            if hs.answer.startswith('NA '):
                report('PASS', label, 'rejected: ' + hs.answer)
            else:
                report('FAIL', label, 'a wrong password was not rejected', hs.details())
            return
        if user is None or hs.error or not hs.ctx.complete:
            report('FAIL', label, 'not accepted', hs.details())
            return
        if user.lower() != args.user.lower():
            report('FAIL', label, 'accepted as %r, expected %r' % (user, args.user), hs.details())
            return
        first_seq = 0
        if mech == SPNEGO_OID:
            # Our NegTokenResp (the last token sent) and Samba's accept-completed answer must
            # both carry a mechListMIC: the AUTHENTICATE has a MIC, so MS-SPNG requires it.
            # The initiator's context only completes once it has verified Samba's.
            if not neg_token_resp_has_mic(hs.sent[-1]):
                report('FAIL', label, 'our NegTokenResp carries no mechListMIC', hs.details())
                return
            first_seq = 1
            report('PASS', label, 'accepted as %s; mechListMIC sent, and Samba\'s verified'
                   % user)
        else:
            report('PASS', label, 'accepted as %s' % user)
        check_protection(label, hs, first_seq)
    finally:
        helper.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--label', required=True)
    parser.add_argument('--smb-conf', required=True)
    parser.add_argument('--ntlm-auth', default='ntlm_auth')
    parser.add_argument('--user', default='TESTDOM\\alice')
    parser.add_argument('--password', default='Passw0rd!')
    parser.add_argument('--skip-spnego-mic', metavar='REASON',
                        help='report the SPNEGO logon, which needs the GSS library to read '
                        'Samba\'s mechListMIC, as SKIP with REASON instead of running it')
    args = parser.parse_args()

    cases = [
        ('squid-2.5-ntlmssp', NTLM_OID, 'password credential', True, args.password),
        ('squid-2.5-ntlmssp', NTLM_OID, 'wrong password', False, 'wrong-' + args.password),
        ('gss-spnego', SPNEGO_OID, 'default credential', True, None),
        ('gss-spnego', SPNEGO_OID, 'wrong password', False, 'wrong-' + args.password),
    ]
    for protocol, mech, desc, expect_accept, password in cases:
        if args.skip_spnego_mic and mech == SPNEGO_OID and expect_accept:
            report('SKIP', '%s -> ntlm_auth %s (%s)' % (args.label, protocol, desc),
                   args.skip_spnego_mic)
            continue
        try:
            creds = password_creds(args.user, password, mech) if password else None
        except gssapi.exceptions.GSSError as err:
            report('FAIL', '%s -> ntlm_auth %s (%s)' % (args.label, protocol, desc),
                   'acquire_cred_with_password: ' + str(err).replace('\n', ' '))
            continue
        run_case(args, protocol, mech, desc, creds, expect_accept)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
