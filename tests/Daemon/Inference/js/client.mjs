// Drives the p2pd gateway with the official openai client, unchanged: node client.mjs <baseURL> <model> [apiKey].
// Prints one JSON object with what each call returned; with an apiKey, also what a client with a wrong key gets.
import OpenAI from 'openai';

const [baseURL, model, apiKey] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: apiKey ?? 'not-needed', maxRetries: 0, timeout: 60_000 });
const messages = [{ role: 'user', content: 'Tell me a story' }];

const chat = await client.chat.completions.create({ model, messages, max_tokens: 10, temperature: 0, seed: 3, logprobs: true, top_logprobs: 2 });

const stream = await client.chat.completions.create({ model, messages, max_tokens: 10, temperature: 0, seed: 3, stream: true, stream_options: { include_usage: true } });
let streamed = '';
let chunks = 0;
let finish = null;
let usage = null;
for await (const chunk of stream) {
  chunks++;
  if (chunk.usage) usage = chunk.usage;
  for (const choice of chunk.choices) {
    streamed += choice.delta?.content ?? '';
    finish = choice.finish_reason ?? finish;
  }
}

const completion = await client.completions.create({ model, prompt: 'Once upon a time', max_tokens: 6, temperature: 0, logprobs: 1 });

let error = null;
try {
  await client.chat.completions.create({ model: 'no-such-model', messages });
} catch (e) {
  error = { status: e.status, code: e.code, type: e.type, message: e.message };
}

let unauthorized = null;
if (apiKey) {
  const stranger = new OpenAI({ baseURL, apiKey: 'sk-wrong-key-for-this-gateway', maxRetries: 0, timeout: 60_000 });
  try {
    await stranger.models.list();
  } catch (e) {
    unauthorized = { status: e.status, code: e.code, type: e.type, message: e.message };
  }
}

console.log(JSON.stringify({
  chat: { content: chat.choices[0].message.content, finish: chat.choices[0].finish_reason, usage: chat.usage, logprobs: chat.choices[0].logprobs?.content?.length },
  stream: { content: streamed, chunks, finish, usage },
  completion: { text: completion.choices[0].text, finish: completion.choices[0].finish_reason, usage: completion.usage, tokens: completion.choices[0].logprobs?.tokens?.length },
  error,
  unauthorized,
}));
