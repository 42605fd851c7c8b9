# An independent transcription of the published FSRS-6 formulas, used to
# produce the reference values the Go tests check.
import math
w=[0.212,1.2931,2.3065,8.2956,6.4133,0.8334,3.0194,0.001,1.8722,0.1666,0.796,1.4835,0.0614,0.2629,1.6483,0.6014,1.8729,0.5425,0.0912,0.0658,0.1542]
decay=-w[20]
F=0.9**(1/decay)-1
def R(t,S): return (1+F*t/S)**decay
def I(S,r=0.9): return S/F*(r**(1/decay)-1)
def D0(g): return w[4]-math.exp(w[5]*(g-1))+1
def clamp(d): return min(10,max(1,d))
def nextD(d,g):
    dd=d+(-w[6]*(g-3))*(10-d)/9
    return clamp(w[7]*D0(4)+(1-w[7])*dd)
def sRecall(d,s,r,g):
    h=w[15] if g==2 else 1; b=w[16] if g==4 else 1
    return s*(1+math.exp(w[8])*(11-d)*s**(-w[9])*(math.exp(w[10]*(1-r))-1)*h*b)
def sForget(d,s,r):
    return min(w[11]*d**(-w[12])*((s+1)**w[13]-1)*math.exp(w[14]*(1-r)), s/math.exp(w[17]*w[18]))
def sShort(s,g):
    n=s*math.exp(w[17]*(g-3+w[18]))*s**(-w[19])
    return max(n,s) if g>=3 else n
# sequence: first Good at day 0; Good at day 3 (elapsed 3); Again at day 20 (elapsed 17); Good at day 21 (elapsed 1)
s=w[2]; d=clamp(D0(3)); print("after first Good:", repr(s), repr(d))
for g,t in [(3,3),(1,17),(3,1)]:
    r=R(t,s)
    s = sRecall(d,s,r,g) if g>1 else sForget(d,s,r)
    d = nextD(d,g)
    print("g=%d t=%d R=%r S=%r D=%r"%(g,t,r,s,d))
print("first Again:", w[0], clamp(D0(1)))
print("short term Good from S=2.3065:", repr(sShort(2.3065,3)), "Again:", repr(sShort(2.3065,1)))
print("R(10,10)=",R(10,10)," I(10,0.9)=",I(10)," I(10,0.8)=",repr(I(10,0.8)))
print("hard:", repr(sRecall(5,10,R(10,10),2)), "easy:", repr(sRecall(5,10,R(10,10),4)))
