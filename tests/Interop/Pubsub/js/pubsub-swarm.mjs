// Benchmark swarm: N js-libp2p gossipsub nodes in one process on 127.0.0.1, a fixed topology, messages at a
// fixed rate from seeded-random publishers; prints one JSON line with delivery ratio, latency and duplicates.
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { gossipsub } from '@libp2p/gossipsub'

const cfg = JSON.parse(process.argv[2])
const { nodes: n, edges, topic, rate, seconds, size, warmupMs, publishers } = cfg
const counters = n > 0 ? Array.from({ length: n }, () => ({ duplicates: 0 })) : []

// gossipsub only exposes its duplicate count through metrics: a register whose metrics do nothing but count that one.
function register (index) {
  const make = (name) => {
    const metric = new Proxy(function () {}, {
      get: (_, prop) => prop === 'inc' && name === 'gossipsub_pre_validation_duplicate_total'
        ? (labels, value) => { counters[index].duplicates += typeof labels === 'number' ? labels : (value ?? 1) }
        : () => metric,
      apply: () => metric,
    })
    return metric
  }
  return { gauge: (c) => make(c.name), histogram: (c) => make(c.name), avgMinMax: (c) => make(c.name) }
}

const libp2ps = []
for (let i = 0; i < n; i++) {
  libp2ps.push(await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { maxConnections: 300, inboundConnectionThreshold: 1000, maxIncomingPendingConnections: 100 },
    // Twenty nodes share one event loop: a late ping must not close a connection (the C# swarm has no such monitor).
    connectionMonitor: { enabled: false },
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({ allowPublishToZeroTopicPeers: true, scoreParams: { IPColocationFactorWeight: 0 }, metricsRegister: register(i), metricsTopicStrToLabel: new Map([[topic, topic]]) }),
    },
  }))
}
const sent = new Map()
const latencies = []
let deliveries = 0
libp2ps.forEach((node) => {
  node.services.pubsub.subscribe(topic)
  node.services.pubsub.addEventListener('message', (evt) => {
    const id = Buffer.from(evt.detail.data.subarray(0, 8)).readBigUInt64BE()
    const start = sent.get(id)
    if (start !== undefined) { deliveries++; latencies.push(performance.now() - start) }
  })
})
for (const [a, b] of edges) await libp2ps[a].dial(libp2ps[b].getMultiaddrs()[0])
await new Promise((resolve) => setTimeout(resolve, warmupMs))
for (const c of counters) c.duplicates = 0

const total = rate * seconds
const payload = Buffer.alloc(size, 7)
const began = performance.now()
for (let m = 0; m < total; m++) {
  const due = began + (m * 1000) / rate
  const wait = due - performance.now()
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  const data = Buffer.from(payload)
  data.writeBigUInt64BE(BigInt(m))
  sent.set(BigInt(m), performance.now())
  await libp2ps[publishers[m]].services.pubsub.publish(topic, data)
}
// Drain: wait until no delivery arrived for 3 s (at most 60 s), so late messages count as late, not lost.
for (let last = -1, waited = 0; waited < 60 && deliveries !== last; waited += 3) {
  last = deliveries
  await new Promise((resolve) => setTimeout(resolve, 3000))
}
latencies.sort((a, b) => a - b)
const pct = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN
const duplicates = counters.reduce((s, c) => s + c.duplicates, 0)
process.stdout.write(JSON.stringify({ messages: total, deliveries, expected: total * (n - 1), p50: pct(0.5), p99: pct(0.99), duplicates }) + '\n')
await Promise.all(libp2ps.map((node) => node.stop()))
process.exit(0)
