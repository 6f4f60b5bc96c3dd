# Random documents for the differential C14N test (c14n_test.go): each
# line holds a kousei-like document (Japanese names, entities, character
# references, CDATA, comments, processing instructions, namespace
# declarations inside 構成情報) and libxml2's C14N 1.0 of its 構成情報
# element, through lxml. Attribute values stay within the profile Shomei
# accepts (no literal tab or line break, no prefixed attribute), and the
# root declares no namespace: lxml serialises a subtree whose ancestors
# declare namespaces with redundant declarations (a quirk of lxml's copy,
# not of C14N).
# usage: c14n_gen.py COUNT SEED OUT.jsonl
import random, json, sys
import lxml.etree as E
random.seed(int(sys.argv[2]) if len(sys.argv)>2 else 1)
N=int(sys.argv[1])
names=['構成情報x','申請書属性情報','氏名','a','b','様式','添付書類','ファイル名','x-y','_z','項目.1']
nss=[('p','urn:p'),('q','http://例.jp/q'),('r','urn:r'),('p','urn:p2')]
def rtext(attr):
    pool=(['\t','\n','\r\n','\r','&#10;','&#13;','&#9;'] if not attr else [])+['a','あ','漢字',' ','&amp;','&lt;','&gt;','&quot;','&apos;','&#x3042;','>','"' if not attr else "'",'ｱ','😀','\u3000']
    if not attr: pool+=['<![CDATA[ <&> ]]>','<![CDATA[]]>']
    return ''.join(random.choice(pool) for _ in range(random.randint(0,6)))
def elem(depth, declared):
    nm=random.choice(names)
    pre=''
    decl=[]
    if random.random()<0.3:
        p,u=random.choice(nss)
        if random.random()<0.5 or p not in declared:
            decl.append(' xmlns:%s="%s"'%(p,u)); declared=dict(declared); declared[p]=u
        pre=p+':'
    if random.random()<0.15:
        u=random.choice(['','urn:def','urn:d2'])
        decl.append(' xmlns="%s"'%u)
    attrs=[]
    used=set()
    for _ in range(random.randint(0,3)):
        k=random.choice(['ID','a','z','属性','b'])
        if k in used: continue
        used.add(k)
        q=random.choice(['"',"'"])
        v=rtext(True).replace(q, '&quot;' if q=='"' else '&apos;')
        attrs.append(' %s=%s%s%s'%(k,q,v,q))
    random.shuffle(attrs)
    tag=pre+nm
    allattr=''.join(decl+attrs)+random.choice(['',' ','\n'])
    if depth>3 or random.random()<0.2:
        return '<%s%s/>'%(tag,allattr)
    kids=[]
    for _ in range(random.randint(0,4)):
        r=random.random()
        if r<0.4: kids.append(elem(depth+1,declared))
        elif r<0.5: kids.append('<!--%s-->'%random.choice(['c','コメント','']))
        elif r<0.55: kids.append('<?pi %s?>'%random.choice(['x','y  z','']))
        else: kids.append(rtext(False))
    return '<%s%s>%s</%s>'%(tag,allattr,''.join(kids),tag)
out=open(sys.argv[3],'w')
n=0
while n<N:
    rootdecl=''
    declared={}
    inner=''.join(elem(1,declared) for _ in range(random.randint(0,3)))
    tdecl=''
    if random.random()<0.2: tdecl=' xmlns:q="urn:q2"'
    doc='<?xml version="1.0" encoding="UTF-8"?>\n<DataRoot%s>\n<構成情報 ID="構成情報"%s>%s</構成情報><署名情報/></DataRoot>'%(rootdecl,tdecl,inner)
    try:
        d=E.fromstring(doc.encode())
    except Exception as e:
        continue
    t=[e for e in d.iter() if isinstance(e.tag,str) and e.get('ID')=='構成情報' and e.getparent() is d][0]
    c=E.tostring(t,method='c14n',with_comments=False)
    out.write(json.dumps({'doc':doc,'c14n':c.decode()},ensure_ascii=False)+'\n')
    n+=1
