#!/usr/bin/env python3
# Builds the seed corpora (one folder per fuzz target) from the sample dumps in testdata/,
# the test PKI (PEM -> DER), manifest.json (QR texts, MRZs), a real ICAO master list when
# present, and hand-written APDUs. Usage: python3 fuzz/seeds.py /tmp/seeds
import os, json, hashlib, glob, subprocess, base64, re
import sys
root=os.path.join(os.path.dirname(os.path.abspath(__file__)),'..'); out=sys.argv[1] if len(sys.argv)>1 else 'seeds'
def put(t, data):
    d=os.path.join(out,t); os.makedirs(d,exist_ok=True)
    if isinstance(data,str): data=data.encode()
    open(os.path.join(d,hashlib.sha1(data).hexdigest()),'wb').write(data)
m={'EF.COM':['com','tlv'],'DG1':['dg1','tlv'],'DG2':['dg2'],'DG13':['dg13','tlv'],'DG14':['dg14','card_access'],'DG15':['dg15'],'EF.SOD':['sod'],'EF.CardAccess':['card_access','dg14','tlv']}
for card in glob.glob(root+'/testdata/cards/*/'):
    for f,ts in m.items():
        p=card+f
        if os.path.exists(p):
            b=open(p,'rb').read()
            for t in ts: put(t,b)
    dg15=card+'DG15'
    if os.path.exists(dg15):
        b=open(dg15,'rb').read()
        if len(b)%2: b=b+b'\x00'
        if len(b)//2<256: put('aa_response', bytes([len(b)//2])+b+bytes(range(0,128)))
man=json.load(open(root+'/testdata/manifest.json'))
for c in man['cards']:
    put('qr_parse', c['qr_text']); put('mrz', c['mrz'])
    put('mrz', c['mrz'].replace('\n',''))
# PKI: DER
for pem in glob.glob(root+'/testdata/pki/*.pem'):
    txt=open(pem).read()
    for blk in re.findall(r'-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END', txt, re.S):
        der=base64.b64decode(''.join(blk[1].split()))
        put('certificate', der); put('tlv', der)
        # the split form: n byte then spki? just store der with a prefix too
ml='/work/shared/realworld/icao-masterlist-2025-07.ml'
if os.path.exists(ml): put('masterlist', open(ml,'rb').read())
# Small master lists (CscaMasterList in CMS, signed with openssl by the test CSCAs), and
# every SOD (the same CMS SignedData shell) for the master-list target.
def tl(t,v):
    n=len(v); l=bytes([n]) if n<128 else bytes([0x80|((n.bit_length()+7)//8)])+n.to_bytes((n.bit_length()+7)//8,'big')
    return bytes([t])+l+v
def der(name):
    t=open(f'{root}/testdata/pki/{name}.crt.pem').read()
    return base64.b64decode(''.join(re.search(r'-----BEGIN CERTIFICATE-----(.*?)-----END',t,re.S).group(1).split()))
import tempfile
for signer,certs in [('csca-rsa',['csca-ec']),('csca-rsa',['csca-rsa','csca-ec-explicit']),('csca-ec',['csca-ec'])]:
    with tempfile.TemporaryDirectory() as tmp:
        open(tmp+'/c','wb').write(tl(0x30, tl(0x02,b'\x00')+tl(0x31,b''.join(der(c) for c in certs))))
        r=subprocess.run(['openssl','cms','-sign','-binary','-nodetach','-outform','DER','-econtent_type','2.23.136.1.1.2',
            '-in',tmp+'/c','-signer',f'{root}/testdata/pki/{signer}.crt.pem','-inkey',f'{root}/testdata/pki/keys/{signer}.key.pem','-out',tmp+'/ml'])
        if r.returncode==0: put('masterlist', open(tmp+'/ml','rb').read())
for card in glob.glob(root+'/testdata/cards/*/EF.SOD'):
    put('masterlist', open(card,'rb').read())
# apdu / sm
for h in ['00A4040C07A0000002471001','00B0000000','00B0800000','0084000008','0022C1A40F800A04007F00070202040202830101','9000','6A82','0102030405069000',
          '0CB000000D970100','0CB0000000000D9701008E08000000000000000000','990290008E08010203040506070800009000','8709011234567890abcdef990290008e0801020304050607089000',
          '00B00000000000','00B0000001000100','0CA4020C158709010102030405060708990290008E080102030405060708']:
    put('apdu', bytes.fromhex(h)); put('sm_unwrap', bytes.fromhex(h))
