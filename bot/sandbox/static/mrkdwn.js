// Slack's mrkdwn to safe HTML: *bold* _italic_ ~strike~ `code` ```pre``` > quotes,
// <links|text>, <@user>, <#channel>, <!here>, <!date^…> and :emoji: shortcodes.
"use strict";

const EMOJI = {
  white_check_mark: "✅", warning: "⚠️", no_entry: "⛔", no_entry_sign: "🚫", sparkles: "✨",
  hourglass_flowing_sand: "⏳", hourglass: "⌛", zzz: "💤", x: "❌", tada: "🎉", memo: "📝",
  leftwards_arrow_with_hook: "↩️", fast_forward: "⏩", eyes: "👀", envelope_with_arrow: "📩",
  envelope: "✉️", calendar: "📆", date: "📅", alarm_clock: "⏰", gift: "🎁", baby: "👶",
  heart: "❤️", "+1": "👍", thumbsup: "👍", "-1": "👎", wave: "👋", smile: "😄", slightly_smiling_face: "🙂",
  star: "⭐", bell: "🔔", moneybag: "💰", money_with_wings: "💸", rocket: "🚀", bulb: "💡",
  information_source: "ℹ️", inbox_tray: "📥", outbox_tray: "📤", chart_with_upwards_trend: "📈",
  bar_chart: "📊", package: "📦", bouquet: "💐", birthday: "🎂", cake: "🍰", ring: "💍",
  house: "🏠", mortar_board: "🎓", briefcase: "💼", pray: "🙏", hospital: "🏥", dove_of_peace: "🕊️",
  large_green_circle: "🟢", red_circle: "🔴", white_circle: "⚪", large_blue_circle: "🔵",
  heavy_check_mark: "✔️", lock: "🔒", bust_in_silhouette: "👤", busts_in_silhouette: "👥",
  raised_hands: "🙌", clap: "👏", muscle: "💪", pencil: "📝", pencil2: "✏️", mailbox: "📫",
  hugging_face: "🤗", confetti_ball: "🎊", balloon: "🎈", trophy: "🏆", medal: "🏅",
  arrow_right: "➡️", repeat: "🔁", clock10: "🕙", stopwatch: "⏱️", calendar_spiral: "🗓️",
  speech_balloon: "💬", mag: "🔍", wrench: "🔧", gear: "⚙️", email: "📧", phone: "📞",
};

function escapeHtml(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

// Slack's own escaping of &, < and > in message text, undone before we escape for HTML.
function unescapeSlack(text) {
  return String(text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function emojify(html) {
  return html.replace(/:([a-z0-9_+\-]+):/g, (all, name) => EMOJI[name] || all);
}

const DATE_TOKENS = {
  date_num: { year: "numeric", month: "2-digit", day: "2-digit" },
  date: { year: "numeric", month: "long", day: "numeric" },
  date_short: { year: "numeric", month: "short", day: "numeric" },
  date_long: { weekday: "long", year: "numeric", month: "long", day: "numeric" },
  date_pretty: { year: "numeric", month: "long", day: "numeric" },
  date_short_pretty: { year: "numeric", month: "short", day: "numeric" },
  date_long_pretty: { weekday: "long", year: "numeric", month: "long", day: "numeric" },
  time: { hour: "numeric", minute: "2-digit" },
  time_secs: { hour: "numeric", minute: "2-digit", second: "2-digit" },
};

// <!date^1700000000^{date_short_pretty} at {time}|fallback>, in the reader's timezone.
function formatSlackDate(spec, fallback, tz) {
  const [, ts, format] = spec.split("^");
  const when = new Date(Number(ts) * 1000);
  if (!format || isNaN(when)) return fallback;
  return format.replace(/\{(\w+)\}/g, (all, token) => {
    const options = DATE_TOKENS[token];
    return options ? new Intl.DateTimeFormat("en-US", { ...options, timeZone: tz }).format(when) : all;
  });
}

// One <…> sequence of Slack's: a link, a mention, a special mention or a date.
function specialToken(inner, ctx) {
  const [target, label] = splitOnce(inner, "|");
  if (target.startsWith("@")) {
    const person = ctx.people[target.slice(1)];
    const name = person ? person.real_name : label || target.slice(1);
    return `<span class="mention">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith("#")) {
    const channel = ctx.channels[target.slice(1)];
    const name = channel ? channel.name : label || target.slice(1);
    return `<span class="mention">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith("!date^")) return escapeHtml(formatSlackDate(target, label || "", ctx.tz));
  if (target.startsWith("!subteam^")) return `<span class="mention">@${escapeHtml(label || "group")}</span>`;
  if (target.startsWith("!")) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  const url = unescapeSlack(target);
  const safe = /^(https?:|mailto:)/i.test(url) ? url : "#";
  const text = label ? unescapeSlack(label) : url;
  return `<a href="${escapeHtml(safe)}" target="_blank" rel="noopener noreferrer">${escapeHtml(text)}</a>`;
}

function splitOnce(text, sep) {
  const at = text.indexOf(sep);
  return at === -1 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
}

function inlineStyles(html) {
  return html
    .replace(/(^|[\s(>"'])\*(?=\S)([^*\n]*?\S)\*(?=$|[\s).,!?:;"'<])/g, "$1<b>$2</b>")
    .replace(/(^|[\s(>"'])_(?=\S)([^_\n]*?\S)_(?=$|[\s).,!?:;"'<])/g, "$1<i>$2</i>")
    .replace(/(^|[\s(>"'])~(?=\S)([^~\n]*?\S)~(?=$|[\s).,!?:;"'<])/g, "$1<s>$2</s>");
}

// mrkdwn -> HTML. ctx: {people: {id: person}, channels: {id: channel}, tz}.
function mrkdwn(text, ctx) {
  const saved = [];
  const keep = (html) => `\u0000${saved.push(html) - 1}\u0000`;
  let out = String(text || "");
  out = out.replace(/```([\s\S]*?)```/g, (all, code) => keep(`<pre>${escapeHtml(unescapeSlack(code))}</pre>`));
  out = out.replace(/`([^`\n]+)`/g, (all, code) => keep(`<code>${escapeHtml(unescapeSlack(code))}</code>`));
  out = out.replace(/<([^<>\n]+)>/g, (all, inner) => keep(specialToken(inner, ctx)));
  out = escapeHtml(unescapeSlack(out));
  const lines = out.split("\n").map((line) => {
    const quoted = /^&gt;\s?/.test(line);
    const body = inlineStyles(emojify(line.replace(/^&gt;\s?/, "")));
    return quoted ? `<blockquote>${body}</blockquote>` : body;
  });
  out = lines.join("<br>").replace(/<\/blockquote><br><blockquote>/g, "<br>");
  return out.replace(/\u0000(\d+)\u0000/g, (all, i) => saved[Number(i)]);
}

function textObject(obj, ctx) {
  if (!obj) return "";
  if (obj.type === "mrkdwn") return mrkdwn(obj.text, ctx);
  return emojify(escapeHtml(obj.text || ""));
}
