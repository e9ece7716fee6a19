// Drives a bitnet server with the official OpenAI SDK and prints what it got, one JSON object.
// usage: node openai-client.mjs BASE_URL   (e.g. http://127.0.0.1:8080/v1)
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.argv[2], apiKey: "not-needed", maxRetries: 0 });
const question = [{ role: "user", content: "What did the President say?" }];
const out = {};

const chat = await client.chat.completions.create({ model: "default", messages: question, temperature: 0, max_tokens: 30 });
out.chat = { text: chat.choices[0].message.content, finish: chat.choices[0].finish_reason, usage: chat.usage };

const chatStream = await client.chat.completions.create({
  model: "default", messages: question, temperature: 0, max_tokens: 30, stream: true, stream_options: { include_usage: true }
});
out.chatStream = { text: "", pieces: 0 };
for await (const chunk of chatStream) {
  if (chunk.choices.length && chunk.choices[0].delta.content) {
    out.chatStream.text += chunk.choices[0].delta.content;
    out.chatStream.pieces++;
  }
  if (chunk.choices.length && chunk.choices[0].finish_reason) out.chatStream.finish = chunk.choices[0].finish_reason;
  if (chunk.usage) out.chatStream.usage = chunk.usage;
}

const completion = await client.completions.create({ model: "default", prompt: "The President said", temperature: 0, max_tokens: 20 });
out.completion = { text: completion.choices[0].text, finish: completion.choices[0].finish_reason, usage: completion.usage };

const completionStream = await client.completions.create({
  model: "default", prompt: "The President said", temperature: 0, max_tokens: 20, stream: true
});
out.completionStream = { text: "" };
for await (const chunk of completionStream) out.completionStream.text += chunk.choices[0].text;

const models = await client.models.list();
out.models = models.data.map(m => m.id);

for (const [name, request] of Object.entries({
  unknownModel: { model: "gpt-4o", messages: question },
  badTemperature: { model: "default", messages: question, temperature: 9 }
})) {
  try {
    await client.chat.completions.create(request);
    out[name] = { error: "none" };
  } catch (e) {
    out[name] = { error: e.constructor.name, status: e.status, code: e.code ?? null, param: e.param ?? null };
  }
}

console.log(JSON.stringify(out));
