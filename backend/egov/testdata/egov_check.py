# An XML signature checker that is not Shomei's: libxml2's C14N 1.0 (through
# lxml) and openssl. It recomputes the digest of every Reference of the
# first <Signature> in a kousei.xml (#ID through C14N 1.0, a file name over
# the file's raw bytes, from the same folder) and verifies SignatureValue
# over the canonical SignedInfo with openssl and the first certificate.
# Prints one line per check; exits 0 only when every check holds.
# usage: egov_check.py KOUSEI.xml WORKDIR
import base64, copy, hashlib, os, subprocess, sys, urllib.parse
from lxml import etree as E

DS = '{http://www.w3.org/2000/09/xmldsig#}'
path, work = sys.argv[1], sys.argv[2]


def c14n(el):
    # lxml's tostring(element, method='c14n') on an element whose default
    # namespace is declared by an ancestor writes xmlns="" on descendants
    # (seen with libxml2 2.9.14 / lxml 4.9.2); a deep copy carries the
    # namespaces it uses onto its own root, then C14N of that document is
    # libxml2's plain C14N 1.0. kousei.xml's ancestors declare no other
    # namespace, so nothing inclusive C14N would add is lost.
    cp = copy.deepcopy(el)
    cp.tail = None
    return E.tostring(E.ElementTree(cp), method='c14n', exclusive=False, with_comments=False)


parser = E.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
doc = E.parse(path, parser)
sig = next(doc.iter(DS + 'Signature'))
si = sig.find(DS + 'SignedInfo')
ok = True
for ref in si.findall(DS + 'Reference'):
    uri = ref.get('URI')
    want = base64.b64decode(ref.find(DS + 'DigestValue').text)
    if uri.startswith('#'):
        ident = urllib.parse.unquote(uri[1:])
        els = [e for e in doc.iter() if isinstance(e.tag, str) and e.get('ID') == ident]
        data = c14n(els[0])
    else:
        with open(os.path.join(os.path.dirname(path), urllib.parse.unquote(uri)), 'rb') as f:
            data = f.read()
    good = hashlib.sha256(data).digest() == want
    ok = ok and good
    print('reference', uri, 'ok' if good else 'DIGEST MISMATCH')
with open(os.path.join(work, 'signedinfo.c14n'), 'wb') as f:
    f.write(c14n(si))
with open(os.path.join(work, 'sig.bin'), 'wb') as f:
    f.write(base64.b64decode(sig.find(DS + 'SignatureValue').text))
cert = ''.join(sig.find(DS + 'KeyInfo').find(DS + 'X509Data').find(DS + 'X509Certificate').text.split())
with open(os.path.join(work, 'cert.pem'), 'w') as f:
    f.write('-----BEGIN CERTIFICATE-----\n' + cert + '\n-----END CERTIFICATE-----\n')
pub = subprocess.run(['openssl', 'x509', '-pubkey', '-noout', '-in', os.path.join(work, 'cert.pem')], capture_output=True, check=True).stdout
with open(os.path.join(work, 'pub.pem'), 'wb') as f:
    f.write(pub)
v = subprocess.run(['openssl', 'dgst', '-sha256', '-verify', os.path.join(work, 'pub.pem'), '-signature', os.path.join(work, 'sig.bin'), os.path.join(work, 'signedinfo.c14n')], capture_output=True, text=True)
print('signature', v.stdout.strip() or v.stderr.strip())
ok = ok and v.returncode == 0
sys.exit(0 if ok else 1)
