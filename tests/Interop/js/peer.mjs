// A js-libp2p test peer driven over stdin/stdout, one JSON object per line.
// Start: node peer.mjs '<config json>'   config: { seed?: hex32, listen?: [ma], services?: {...} }
// It prints {"event":"ready","peerId":...,"addrs":[...]} and then answers commands
// {"id":N,"cmd":"...",...} with {"id":N,"ok":true,...} or {"id":N,"ok":false,"error":"..."}.
// Other scripts (gossipsub tests) can import { createPeer, serve } and add commands.
import { createInterface } from 'node:readline'
import { createHash } from 'node:crypto'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify, identifyPush } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'

export const ECHO = '/p2pd/echo/1'
export const SINK = '/p2pd/sink/1'

function send (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

// Deterministic bytes (xorshift32) so both sides can check what they received.
export function pattern (length, seed) {
  const out = new Uint8Array(length)
  let x = (seed >>> 0) || 0x9e3779b9
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    out[i] = x & 0xff
  }
  return out
}

const bytesOf = (chunk) => chunk instanceof Uint8Array ? chunk : chunk.subarray()

async function write (stream, data, chunkSize = 65536) {
  for (let offset = 0; offset < data.length; offset += chunkSize) {
    if (!stream.send(data.subarray(offset, Math.min(data.length, offset + chunkSize)))) {
      await stream.onDrain()
    }
  }
}

async function echoHandler (stream) {
  for await (const chunk of stream) {
    if (!stream.send(chunk)) {
      await stream.onDrain()
    }
  }
  await stream.close()
}

async function sinkHandler (stream) {
  let total = 0
  for await (const chunk of stream) {
    total += chunk.byteLength
  }
  stream.send(new TextEncoder().encode(String(total)))
  await stream.close()
}

export async function createPeer (config = {}, extraServices = {}) {
  const options = {
    addresses: { listen: config.listen ?? ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), identifyPush: identifyPush(), ping: ping(), ...extraServices }
  }
  if (config.seed) {
    options.privateKey = await generateKeyPairFromSeed('Ed25519', Uint8Array.from(Buffer.from(config.seed, 'hex')))
  }
  if (config.connectionMonitor) {
    options.connectionMonitor = config.connectionMonitor
  }
  const node = await createLibp2p(options)
  await node.handle(ECHO, echoHandler, { maxInboundStreams: 2048, maxOutboundStreams: 2048 })
  await node.handle(SINK, sinkHandler)
  return node
}

const target = (cmd) => cmd.addr ? multiaddr(cmd.addr) : peerIdFromString(cmd.peer)

// Opens one stream, writes `size` pattern bytes, reads the echo; returns digests to compare.
async function echoOnce (node, cmd, seed) {
  const stream = await node.dialProtocol(target(cmd), ECHO, { maxOutboundStreams: 2048 })
  const data = pattern(cmd.size, seed)
  const receiving = (async () => {
    const hash = createHash('sha256')
    let received = 0
    for await (const chunk of stream) {
      const bytes = bytesOf(chunk)
      hash.update(bytes)
      received += bytes.byteLength
    }
    return { received, digest: hash.digest('hex') }
  })()
  await write(stream, data)
  await stream.close()
  const { received, digest } = await receiving
  const sent = createHash('sha256').update(data).digest('hex')
  return { received, equal: digest === sent }
}

export const commands = {
  async dial (node, cmd) {
    const connection = await node.dial(multiaddr(cmd.addr))
    return { peer: connection.remotePeer.toString(), remoteAddr: connection.remoteAddr.toString() }
  },
  async ping (node, cmd) {
    const rtt = await node.services.ping.ping(target(cmd))
    return { rtt }
  },
  async peer (node, cmd) {
    try {
      const peer = await node.peerStore.get(peerIdFromString(cmd.peer))
      return {
        protocols: peer.protocols,
        addrs: peer.addresses.map(a => a.multiaddr.toString()),
        agent: new TextDecoder().decode(peer.metadata.get('AgentVersion') ?? new Uint8Array())
      }
    } catch {
      return { protocols: [], addrs: [], agent: '' }
    }
  },
  async connections (node) {
    return {
      connections: node.getConnections().map(c => ({
        peer: c.remotePeer.toString(), remoteAddr: c.remoteAddr.toString(), status: c.status, direction: c.direction
      }))
    }
  },
  async echo (node, cmd) {
    const count = cmd.streams ?? 1
    const results = await Promise.all(Array.from({ length: count }, (_, i) => echoOnce(node, cmd, (cmd.seed ?? 1) + i)))
    return {
      streams: count,
      received: results.reduce((s, r) => s + r.received, 0),
      allEqual: results.every(r => r.equal)
    }
  },
  // Single-stream upload to the peer's sink; returns the time taken (for throughput ratios).
  async bench (node, cmd) {
    const stream = await node.dialProtocol(target(cmd), SINK)
    const chunk = pattern(65536, 7)
    const started = process.hrtime.bigint()
    for (let sent = 0; sent < cmd.size; sent += chunk.length) {
      if (!stream.send(chunk)) {
        await stream.onDrain()
      }
    }
    await stream.close()
    let reply = ''
    for await (const part of stream) {
      reply += new TextDecoder().decode(bytesOf(part))
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    return { ms, bytes: Number(reply) }
  },
  async hangup (node, cmd) {
    await node.hangUp(peerIdFromString(cmd.peer))
    return {}
  },
  async stop (node) {
    await node.stop()
    setTimeout(() => process.exit(0), 10)
    return {}
  }
}

// Reads commands from stdin until it closes; `extra` adds or overrides commands.
export async function serve (node, extra = {}) {
  const table = { ...commands, ...extra }
  for (const name of ['peer:connect', 'peer:disconnect', 'peer:identify']) {
    node.addEventListener(name, (evt) => {
      const detail = evt.detail
      const peer = (detail.peerId ?? detail).toString()
      send({ event: name, peer, ...(detail.protocols ? { protocols: detail.protocols } : {}) })
    })
  }
  send({ event: 'ready', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(a => a.toString()) })
  const lines = createInterface({ input: process.stdin })
  for await (const line of lines) {
    if (line.trim() === '') continue
    let cmd
    try {
      cmd = JSON.parse(line)
    } catch (err) {
      send({ event: 'error', error: 'bad json: ' + err.message })
      continue
    }
    const handler = table[cmd.cmd]
    if (!handler) {
      send({ id: cmd.id, ok: false, error: 'unknown command ' + cmd.cmd })
      continue
    }
    handler(node, cmd).then(
      result => send({ id: cmd.id, ok: true, ...result }),
      err => send({ id: cmd.id, ok: false, error: String(err?.message ?? err), name: err?.name })
    )
  }
  await node.stop()
  process.exit(0)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = process.argv[2] ? JSON.parse(process.argv[2]) : {}
  const node = await createPeer(config)
  await serve(node)
}
