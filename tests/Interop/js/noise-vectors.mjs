// Computes the libp2p Noise XX handshake from fixed keys with @noble (the primitives
// @chainsafe/libp2p-noise is built on), independently of the C# code, and prints the messages as JSON.
// Fixed inputs: byte i of each 32-byte key is (start + i): initiator static 0x01, initiator ephemeral 0x21,
// responder static 0x41, responder ephemeral 0x61, initiator identity seed 0x81, responder identity seed 0xa1.
import { x25519, ed25519 } from '@noble/curves/ed25519.js'
import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { hkdf } from '@noble/hashes/hkdf.js'

const key = (start) => Uint8Array.from({ length: 32 }, (_, i) => (start + i) & 0xff)
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}
const hex = (b) => Buffer.from(b).toString('hex')

class Symmetric {
  constructor () {
    this.h = new TextEncoder().encode('Noise_XX_25519_ChaChaPoly_SHA256')
    this.ck = this.h
    this.k = null
    this.n = 0n
    this.mixHash(new Uint8Array(0))
  }
  mixHash (data) { this.h = sha256(concat(this.h, data)) }
  mixKey (ikm) {
    const out = hkdf(sha256, ikm, this.ck, new Uint8Array(0), 64)
    this.ck = out.subarray(0, 32)
    this.k = out.subarray(32, 64)
    this.n = 0n
  }
  encryptAndHash (pt) {
    const ct = this.k ? encrypt(this.k, this.n++, this.h, pt) : pt
    this.mixHash(ct)
    return ct
  }
  split () {
    const out = hkdf(sha256, new Uint8Array(0), this.ck, new Uint8Array(0), 64)
    return [out.subarray(0, 32), out.subarray(32, 64)]
  }
}

function nonce (n) {
  const b = new Uint8Array(12)
  new DataView(b.buffer).setBigUint64(4, n, true)
  return b
}
const encrypt = (k, n, ad, pt) => chacha20poly1305(k, nonce(n), ad).encrypt(pt)

// Marshalled libp2p PublicKey { Type = Ed25519, Data = 32 bytes } and the handshake payload protobuf.
const marshalPublicKey = (pub) => concat(Uint8Array.of(0x08, 0x01, 0x12, 0x20), pub)
function payload (identitySeed, staticPublic) {
  const identityKey = marshalPublicKey(ed25519.getPublicKey(identitySeed))
  const signature = ed25519.sign(concat(new TextEncoder().encode('noise-libp2p-static-key:'), staticPublic), identitySeed)
  return concat(Uint8Array.of(0x0a, identityKey.length), identityKey, Uint8Array.of(0x12, signature.length), signature)
}

const initiatorStatic = key(0x01)
const initiatorEphemeral = key(0x21)
const responderStatic = key(0x41)
const responderEphemeral = key(0x61)
const pub = (k) => x25519.getPublicKey(k)
const dh = (k, p) => x25519.getSharedSecret(k, p)

// Both sides run the same transcript; we play both to get every message.
const s = new Symmetric()
s.mixHash(pub(initiatorEphemeral))
const msg1 = concat(pub(initiatorEphemeral), s.encryptAndHash(new Uint8Array(0)))

s.mixHash(pub(responderEphemeral))
s.mixKey(dh(responderEphemeral, pub(initiatorEphemeral)))
const encryptedResponderStatic = s.encryptAndHash(pub(responderStatic))
s.mixKey(dh(responderStatic, pub(initiatorEphemeral)))
const msg2 = concat(pub(responderEphemeral), encryptedResponderStatic, s.encryptAndHash(payload(key(0xa1), pub(responderStatic))))

const encryptedInitiatorStatic = s.encryptAndHash(pub(initiatorStatic))
s.mixKey(dh(initiatorStatic, pub(responderEphemeral)))
const msg3 = concat(encryptedInitiatorStatic, s.encryptAndHash(payload(key(0x81), pub(initiatorStatic))))

const [k1, k2] = s.split()
console.log(JSON.stringify({
  msg1: hex(msg1),
  msg2: hex(msg2),
  msg3: hex(msg3),
  handshakeHash: hex(s.h),
  initiatorFirst: hex(encrypt(k1, 0n, new Uint8Array(0), new TextEncoder().encode('hello'))),
  responderFirst: hex(encrypt(k2, 0n, new Uint8Array(0), new TextEncoder().encode('world')))
}))
