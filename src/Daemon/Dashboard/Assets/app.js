// p2pd dashboard: polls this node's public GET endpoints and draws them; no framework, no other origin (see the CSP).
'use strict';

const REFRESH_MS = 1500;
const HISTORY = 120;
const SVG = 'http://www.w3.org/2000/svg';
const state = { hashrate: [], rewardKey: null, receipts: undefined, models: [], chatBusy: false };

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function svgEl(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

async function get(path) {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

async function optional(path) {
  try { return await get(path); } catch { return null; }
}

const shortId = (id) => (id ? (id.length > 16 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id) : '-');
const shortKey = (key) => (key ? `${key.slice(0, 8)}…` : '-');
const fmt = (n, digits = 0) => (n === null || n === undefined ? '-' : Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

function ago(unixSeconds) {
  const s = Math.max(0, Math.round(Date.now() / 1000 - unixSeconds));
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
}

function uptime(seconds) {
  const s = Math.floor(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

/** A stable colour per miner key, so that a miner keeps its colour across refreshes. */
function colourOf(key) {
  let h = 0;
  for (const c of key) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${h % 360}, 65%, 58%)`;
}

function fillRows(table, rows) {
  const body = table.tBodies[0];
  body.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      if (cell instanceof Node) td.append(cell); else td.textContent = cell === null || cell === undefined ? '-' : String(cell);
      if (typeof cell === 'string' && cell.length > 12) td.title = cell;
      tr.append(td);
    }
    return tr;
  }));
}

function titled(text, title) {
  const span = el('span', text);
  span.title = title;
  return span;
}

function swatch(key) {
  const s = svgEl('svg', { width: 10, height: 10, class: 'swatch' });
  s.append(svgEl('rect', { width: 10, height: 10, fill: colourOf(key) }));
  return s;
}

// ---- charts (hand-written SVG) ----

function lineChart(svg, values, unit) {
  const W = 400, H = 120, pad = 22;
  const max = Math.max(1, ...values);
  const children = [
    svgEl('line', { x1: pad, y1: H - pad, x2: W - 4, y2: H - pad, stroke: '#2a3542' }),
    svgEl('line', { x1: pad, y1: 6, x2: pad, y2: H - pad, stroke: '#2a3542' }),
  ];
  const top = svgEl('text', { x: 2, y: 14 });
  top.textContent = fmt(max);
  const axis = svgEl('text', { x: pad + 2, y: H - 6 });
  axis.textContent = `${unit}, last ${Math.round(values.length * REFRESH_MS / 1000)} s`;
  children.push(top, axis);
  if (values.length > 0) {
    const step = (W - pad - 8) / Math.max(1, HISTORY - 1);
    const points = values.map((v, i) => `${(pad + i * step).toFixed(1)},${(H - pad - (v / max) * (H - pad - 8)).toFixed(1)}`).join(' ');
    children.push(svgEl('polyline', { points, fill: 'none', stroke: '#4fb0ff', 'stroke-width': 2, class: 'series' }));
  }
  svg.replaceChildren(...children);
}

function stackedBars(svg, blocks) {
  const W = 400, H = 120, pad = 22;
  const ordered = [...blocks].reverse();
  const totals = ordered.map((b) => Object.values(b.sharesByMiner).reduce((a, c) => a + c, 0));
  const max = Math.max(1, ...totals);
  const width = (W - pad - 8) / Math.max(1, ordered.length);
  const children = [svgEl('line', { x1: pad, y1: H - pad, x2: W - 4, y2: H - pad, stroke: '#2a3542' })];
  const top = svgEl('text', { x: 2, y: 14 });
  top.textContent = String(max);
  const axis = svgEl('text', { x: pad + 2, y: H - 6 });
  axis.textContent = ordered.length ? `blocks ${ordered[0].height}–${ordered[ordered.length - 1].height}` : 'no blocks yet';
  children.push(top, axis);
  ordered.forEach((block, i) => {
    let y = H - pad;
    for (const [miner, count] of Object.entries(block.sharesByMiner).sort()) {
      const h = (count / max) * (H - pad - 8);
      y -= h;
      const rect = svgEl('rect', { x: (pad + i * width + 1).toFixed(1), y: y.toFixed(1), width: Math.max(1, width - 2).toFixed(1), height: h.toFixed(1), fill: colourOf(miner) });
      const tip = svgEl('title', {});
      tip.textContent = `block ${block.height}: ${count} share(s) by ${shortKey(miner)}`;
      rect.append(tip);
      children.push(rect);
    }
  });
  svg.replaceChildren(...children);
  const miners = new Map();
  for (const block of blocks) for (const [miner, count] of Object.entries(block.sharesByMiner)) miners.set(miner, (miners.get(miner) ?? 0) + count);
  $('shares-legend').replaceChildren(...[...miners].sort((a, b) => b[1] - a[1]).map(([miner, count]) => {
    const li = el('li');
    li.append(swatch(miner), `${shortKey(miner)}${miner === state.rewardKey ? ' (this node)' : ''}: ${count}`);
    return li;
  }));
}

// ---- sections ----

function renderNode(status, network) {
  const listen = network?.listenAddresses?.[0] ?? '';
  $('node-line').textContent = `${status.peerId} · v${status.version} · up ${uptime(status.uptimeSeconds)}${listen ? ` · ${listen}` : ''}`;
}

function renderChain(chain) {
  $('head-height').textContent = String(chain.height);
  $('head-hash').textContent = chain.headHash.slice(0, 16);
  $('head-hash').title = chain.headHash;
  $('epoch').textContent = `${chain.epoch} (blocks of ${chain.targetBlockSeconds} s, epochs of ${chain.epochLength})`;
  $('chain-name').textContent = `${chain.chainName} ${chain.chainId.slice(0, 12)}…`;
  $('state-digest').textContent = chain.stateDigest.slice(0, 32);
  $('state-digest').title = chain.stateDigest;
  $('pools').textContent = `${chain.pooledShares} shares, ${chain.pooledTransfers} transfers, ${chain.orphans} orphans`;
  $('sync-state').textContent = chain.syncState;
  const syncing = chain.syncState === 'syncing' && chain.syncTargetHeight > 0;
  $('sync-progress').hidden = !syncing;
  $('sync-progress').value = syncing ? Math.min(1, chain.height / chain.syncTargetHeight) : 0;
  $('sync-detail').textContent = syncing ? `${chain.height}/${chain.syncTargetHeight} from ${chain.syncPeers} peer(s), ${fmt(chain.syncBytesPerSecond / 1024, 1)} KiB/s` : '';
}

function renderMining(mining) {
  state.rewardKey = mining.rewardKey;
  state.hashrate.push(mining.enabled ? mining.hashesPerSecond : 0);
  if (state.hashrate.length > HISTORY) state.hashrate.shift();
  $('hashrate').textContent = mining.enabled ? `${fmt(mining.hashesPerSecond, 1)} nonces/s` : 'not mining';
  $('mining-detail').textContent = mining.enabled ? `on ${mining.threads} thread(s) · ${mining.sharesFound} shares, ${mining.blocksFound} blocks found · template at ${mining.templateHeight}` : '';
  lineChart($('hashrate-chart'), state.hashrate, 'nonces/s');
}

function renderPeers(peers, pubsub) {
  const scores = new Map((pubsub?.peers ?? []).map((p) => [p.peerId, p.score]));
  const rows = (peers?.peers ?? []).map((p) => [
    titled(shortId(p.peerId), p.peerId), p.address, p.direction,
    p.latencyMs === null || p.latencyMs === undefined ? '-' : `${fmt(p.latencyMs, 1)} ms`,
    scores.has(p.peerId) && scores.get(p.peerId) !== null ? fmt(scores.get(p.peerId), 2) : '-',
    p.agentVersion ?? '-',
  ]);
  $('peer-count').textContent = `(${rows.length})`;
  fillRows($('peers'), rows);
}

function renderBlocks(recent) {
  const blocks = recent?.blocks ?? [];
  fillRows($('blocks'), blocks.slice(0, 12).map((b) => [
    b.height, titled(b.hash.slice(0, 12), b.hash), ago(b.timestamp), titled(shortKey(b.miner) + (b.miner === state.rewardKey ? ' (this node)' : ''), b.miner),
    b.shares, b.transfers, b.receipts, b.bytes,
  ]));
  stackedBars($('shares-chart'), blocks);
}

function renderEpochs(open, closed) {
  if (open) {
    const total = open.miners.reduce((a, m) => a + Number(m.weight), 0);
    $('epoch-open').textContent = `Epoch ${open.epoch} (open, blocks ${open.firstHeight}–${open.lastHeight}): ${fmt(open.scheduled)} to issue by weight`;
    fillRows($('epoch-weights'), open.miners.map((m) => [
      titled(shortKey(m.key) + (m.key === state.rewardKey ? ' (this node)' : ''), m.key), m.weight, total > 0 ? `${fmt((100 * Number(m.weight)) / total, 1)} %` : '-',
    ]));
  }
  if (closed) {
    $('epoch-closed').textContent = `Epoch ${closed.epoch} (closed): ${fmt(closed.issued)} issued, ${fmt(closed.forfeited)} forfeited`;
    fillRows($('epoch-rewards'), closed.miners.map((m) => [titled(shortKey(m.key), m.key), m.weight, fmt(m.reward), m.forfeited ? 'yes' : 'no']));
  } else {
    $('epoch-closed').textContent = 'No epoch closed yet.';
    fillRows($('epoch-rewards'), []);
  }
}

function renderModels(inference, directory, models) {
  const served = new Map((inference?.served ?? []).map((m) => [m.modelId, m]));
  const names = new Map((models?.data ?? []).map((m) => [m.model_id, m]));
  const servers = new Map();
  for (const a of directory?.adverts ?? []) {
    const entry = servers.get(a.modelId) ?? { name: a.name, peers: new Set(), tokensPerSecond: 0, freeSlots: 0 };
    entry.peers.add(a.peerId);
    entry.tokensPerSecond = Math.max(entry.tokensPerSecond, a.tokensPerSecond);
    entry.freeSlots += a.freeSlots;
    servers.set(a.modelId, entry);
  }
  for (const [id, m] of served) if (!servers.has(id)) servers.set(id, { name: m.spec, peers: new Set(), tokensPerSecond: m.tokensPerSecond, freeSlots: m.freeSlots });
  const rows = [...servers].map(([id, s]) => [
    titled(names.get(id)?.id ?? s.name, id), served.has(id) ? `yes [${served.get(id).start},${served.get(id).end})` : 'no', s.peers.size, fmt(s.tokensPerSecond, 1), s.freeSlots,
  ]);
  fillRows($('models'), rows);
  const options = (models?.data ?? []).map((m) => m.id);
  if (options.join('\n') !== state.models.join('\n')) {
    state.models = options;
    const select = $('chat-model');
    const current = select.value;
    select.replaceChildren(...options.map((id) => { const o = el('option', id); o.value = id; return o; }));
    if (options.includes(current)) select.value = current;
  }
}

function renderTasks(inference) {
  fillRows($('tasks'), (inference?.recentTasks ?? []).slice(-15).reverse().map((t) => [
    new Date(t.started).toLocaleTimeString(), t.model, t.route.map((h) => `${shortId(h.peerId)}[${h.start},${h.end})`).join(' → '),
    `${t.promptTokens}+${t.completionTokens}`, fmt(t.seconds, 2), t.outcome,
  ]));
}

/** The receipts API comes with accountability; shown when the node has it, hidden otherwise. */
function renderReceipts(receipts) {
  const list = Array.isArray(receipts) ? receipts : receipts?.receipts ?? receipts?.items ?? null;
  $('receipts-card').hidden = !list;
  if (!list) return;
  const columns = list.length ? Object.keys(list[0]).filter((k) => typeof list[0][k] !== 'object').slice(0, 7) : [];
  const head = $('receipts').tHead;
  const tr = document.createElement('tr');
  tr.append(...columns.map((c) => el('th', c)));
  head.replaceChildren(tr);
  fillRows($('receipts'), list.slice(0, 20).map((r) => columns.map((c) => r[c])));
}

// ---- refresh loop ----

async function refresh() {
  try {
    const [status, network, peers, pubsub, chain, mining, inference, directory, models, blocks] = await Promise.all([
      get('/api/v1/status'), optional('/api/v1/network'), optional('/api/v1/peers'), optional('/api/v1/pubsub'),
      optional('/api/v1/chain'), optional('/api/v1/mining'), optional('/api/v1/inference'), optional('/api/v1/inference/directory'),
      optional('/v1/models'), optional('/api/v1/blocks?limit=30'),
    ]);
    renderNode(status, network);
    if (mining) renderMining(mining);
    renderPeers(peers, pubsub);
    if (chain) {
      renderChain(chain);
      renderBlocks(blocks);
      const [open, closed] = await Promise.all([optional(`/api/v1/epochs/${chain.epoch}`), chain.epoch > 0 ? optional(`/api/v1/epochs/${chain.epoch - 1}`) : null]);
      renderEpochs(open, closed);
    } else {
      $('sync-state').textContent = 'this node runs no chain';
    }
    renderModels(inference, directory, models);
    renderTasks(inference);
    if (state.receipts !== false) {
      const receipts = await optional('/api/v1/receipts');
      if (receipts === null && state.receipts === undefined) state.receipts = false;
      else { state.receipts = true; renderReceipts(receipts); }
    }
    $('live').className = '';
    $('error-line').textContent = '';
  } catch (e) {
    $('live').className = 'stale';
    $('error-line').textContent = `the node does not answer: ${e.message}`;
  }
  setTimeout(refresh, REFRESH_MS);
}

// ---- chat: the node's own OpenAI-compatible gateway, streamed (server-sent events) ----

async function chat() {
  if (state.chatBusy) return;
  const model = $('chat-model').value;
  const content = $('chat-input').value.trim();
  if (!model || !content) { $('chat-status').textContent = model ? 'type a message' : 'no model is routable yet'; return; }
  state.chatBusy = true;
  $('chat-send').disabled = true;
  const output = $('chat-output');
  output.textContent = '';
  $('chat-status').textContent = 'waiting for the first token…';
  const started = performance.now();
  let tokens = 0;
  try {
    const response = await fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content }], max_tokens: 48, stream: true }),
    });
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let finish = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of event.split('\n')) {
          if (!line.startsWith('data: ')) continue;
          const data = line.slice(6);
          if (data === '[DONE]') continue;
          const chunk = JSON.parse(data);
          if (chunk.error) throw new Error(chunk.error.message);
          const choice = chunk.choices?.[0];
          if (choice?.delta?.content) { output.textContent += choice.delta.content; tokens++; }
          if (choice?.finish_reason) finish = choice.finish_reason;
        }
      }
      $('chat-status').textContent = `streaming: ${tokens} chunk(s)`;
    }
    $('chat-status').textContent = `done (${finish ?? 'stream ended'}): ${tokens} chunk(s) in ${fmt((performance.now() - started) / 1000, 2)} s`;
    $('chat-status').className = 'ok';
  } catch (e) {
    $('chat-status').textContent = `failed: ${e.message}`;
    $('chat-status').className = 'bad';
  } finally {
    state.chatBusy = false;
    $('chat-send').disabled = false;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('chat-send').addEventListener('click', chat);
  $('chat-input').addEventListener('keydown', (e) => { if (e.key === 'Enter') chat(); });
  refresh();
});
