// A js-libp2p gossipsub peer for the interop tests, driven by JSON lines on stdin; answers and events on stdout.
// Requests: {id, cmd, ...}; answers: {id, ok, ...} or {id, error}; events: {event, ...}.
import { createInterface } from 'node:readline'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { gossipsub } from '@libp2p/gossipsub'
import { multiaddr } from '@multiformats/multiaddr'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'

const config = JSON.parse(process.argv[2] ?? '{}')
const write = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

const dht = config.dht ? { dht: kadDHT({ clientMode: false, protocol: '/ipfs/kad/1.0.0', peerInfoMapper: passthroughMapper, allowQueryWithZeroPeers: true }) } : {}

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionManager: { maxConnections: 300, inboundConnectionThreshold: 1000, maxIncomingPendingConnections: 100 },
  services: {
    identify: identify(),
    ping: ping(),
    pubsub: gossipsub({
      emitSelf: false,
      allowPublishToZeroTopicPeers: true,
      floodPublish: config.floodPublish ?? true,
      heartbeatInterval: config.heartbeatMs ?? 1000,
      scoreParams: { IPColocationFactorWeight: config.ipColocationWeight ?? 0 },
      doPX: config.doPX ?? false,
    }),
    ...dht,
  },
})

const pubsub = node.services.pubsub
pubsub.addEventListener('message', (evt) => {
  const m = evt.detail
  write({ event: 'message', topic: m.topic, data: Buffer.from(m.data).toString('base64'), from: m.type === 'signed' ? m.from.toString() : null })
})

const handlers = {
  async dial ({ addr }) { await node.dial(multiaddr(addr)); return {} },
  async subscribe ({ topic }) { pubsub.subscribe(topic); return {} },
  async publish ({ topic, data }) {
    const result = await pubsub.publish(topic, Buffer.from(data, 'base64'))
    return { recipients: result.recipients.length }
  },
  async mesh ({ topic }) { return { peers: pubsub.getMeshPeers(topic) } },
  async topicPeers ({ topic }) { return { peers: pubsub.getSubscribers(topic).map((p) => p.toString()) } },
  async scores () {
    const scores = {}
    for (const p of pubsub.getPeers()) scores[p.toString()] = pubsub.getScore(p.toString())
    return { scores }
  },
  async closestPeers ({ key }) {
    const found = new Set()
    for await (const event of node.services.dht.getClosestPeers(Buffer.from(key, 'base64'))) {
      if (event.name === 'FINAL_PEER') found.add(event.peer.id.toString())
    }
    return { peers: [...found] }
  },
  async routingTable () {
    return { size: node.services.dht.routingTable.size }
  },
  async addresses ({ peer }) {
    const p = await node.peerStore.get(peerIdFromString(peer))
    return { addrs: p.addresses.map((a) => a.multiaddr.toString()) }
  },
  async connections () { return { peers: node.getPeers().map((p) => p.toString()) } },
  async stop () { await node.stop(); setTimeout(() => process.exit(0), 50); return {} },
}

write({ event: 'ready', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map((a) => a.toString()) })

const lines = createInterface({ input: process.stdin })
lines.on('line', async (line) => {
  let request
  try { request = JSON.parse(line) } catch { return }
  const handler = handlers[request.cmd]
  if (handler == null) { write({ id: request.id, error: `unknown command ${request.cmd}` }); return }
  try {
    write({ id: request.id, ok: true, ...(await handler(request)) })
  } catch (e) {
    write({ id: request.id, error: String(e?.message ?? e) })
  }
})
lines.on('close', async () => { await node.stop(); process.exit(0) })
