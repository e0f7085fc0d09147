// Modals: input blocks with every element Perkbot uses, Slack's client-side checks
// (required, length), errors under their field, and the stack's update/push/clear.
"use strict";

const REQUIRED = "Please complete this required field.";
let inputSeq = 0;

// An input block: label, control, hint, error line. ctx.inputs[block_id] reads/sets it.
function renderInput(block, ctx) {
  const element = block.element || {};
  const id = `input-${++inputSeq}`;
  const labelId = `${id}-label`;
  const node = el("div", { class: "block block-input", "data-block-id": block.block_id });
  // "(optional)" sits beside the label, so the field's accessible name is the label alone.
  const label = el("div", { class: "label-line" },
    el("label", { id: labelId, for: id }, block.label ? block.label.text : ""),
    block.optional ? el("span", { class: "optional" }, " (optional)") : null);
  const dispatch = block.dispatch_action ? (value) => ctx.act(element, block, value) : null;
  const control = renderControl(element, block, ctx, dispatch, { id, labelId });
  node.append(label, control.node);
  if (block.hint) node.append(el("div", { class: "hint" }, block.hint.text));
  node.append(el("div", { class: "field-error", role: "alert" }));
  if (ctx.inputs) ctx.inputs[block.block_id] = { block, element, get: control.get, set: control.set };
  return node;
}

// One control: {node, get() -> plain value, set(value)}. onChange(value) for dispatch_action.
function renderControl(element, block, ctx, onChange, ids = {}) {
  const make = CONTROLS[element.type];
  if (!make) return { node: el("span", {}, `[${element.type}]`), get: () => null, set: () => {} };
  return make(element, ctx, onChange || (() => {}), { ...ids, blockId: block.block_id });
}

const CONTROLS = {
  plain_text_input: (e, ctx, onChange, ids) => textControl(e, ids, e.multiline ? "textarea" : "input"),
  number_input: (e, ctx, onChange, ids) => textControl(e, ids, "input", "decimal"),
  email_text_input: (e, ctx, onChange, ids) => textControl(e, ids, "input"),
  url_text_input: (e, ctx, onChange, ids) => textControl(e, ids, "input"),
  static_select: (e, ctx, onChange, ids) => selectControl(e, ids, onChange, false),
  multi_static_select: (e, ctx, onChange, ids) => selectControl(e, ids, onChange, true),
  external_select: (e, ctx, onChange, ids) => externalSelect(e, ctx, onChange, ids),
  checkboxes: (e, ctx, onChange, ids) => choiceGroup(e, ids, onChange, "checkbox"),
  radio_buttons: (e, ctx, onChange, ids) => choiceGroup(e, ids, onChange, "radio"),
  datepicker: (e, ctx, onChange, ids) => pickerControl(e, ids, onChange, "date", e.initial_date),
  timepicker: (e, ctx, onChange, ids) => pickerControl(e, ids, onChange, "time", e.initial_time),
  users_select: (e, ctx, onChange, ids) => listSelect(e, ids, onChange, peopleOptions(ctx), false, e.initial_user),
  multi_users_select: (e, ctx, onChange, ids) => listSelect(e, ids, onChange, peopleOptions(ctx), true, e.initial_users),
  conversations_select: (e, ctx, onChange, ids) => listSelect(e, ids, onChange, channelOptions(ctx), false, e.initial_conversation),
  channels_select: (e, ctx, onChange, ids) => listSelect(e, ids, onChange, channelOptions(ctx), false, e.initial_channel),
  multi_conversations_select: (e, ctx, onChange, ids) => listSelect(e, ids, onChange, channelOptions(ctx), true, e.initial_conversations),
};

function textControl(e, ids, tag, inputmode) {
  const node = el(tag, { id: ids.id, "data-action-id": e.action_id, inputmode,
    placeholder: e.placeholder ? e.placeholder.text : null, rows: tag === "textarea" ? 3 : null });
  node.value = e.initial_value || "";
  return { node, get: () => node.value === "" ? null : node.value, set: (v) => { node.value = v || ""; } };
}

function selectControl(e, ids, onChange, multiple) {
  const node = el("select", { id: ids.id, "data-action-id": e.action_id, multiple });
  if (!multiple) node.append(el("option", { value: "" }, e.placeholder ? e.placeholder.text : "Choose…"));
  appendOptions(node, e, e.initial_option && e.initial_option.value);
  for (const o of e.initial_options || []) {
    const found = [...node.options].find((x) => x.value === o.value);
    if (found) found.selected = true;
  }
  const get = () => multiple ? [...node.selectedOptions].map((o) => o.value) : node.value || null;
  node.addEventListener("change", () => onChange(get()));
  return { node, get, set: (v) => {
    const wanted = Array.isArray(v) ? v : [v];
    [...node.options].forEach((o) => { o.selected = wanted.includes(o.value); });
  } };
}

function choiceGroup(e, ids, onChange, kind) {
  const node = el("div", { class: "choices", role: kind === "radio" ? "radiogroup" : "group",
    "aria-labelledby": ids.labelId, "data-action-id": e.action_id });
  const initial = (e.initial_options || (e.initial_option ? [e.initial_option] : [])).map((o) => o.value);
  const name = `${ids.id}-choice`;
  for (const option of e.options || []) {
    const box = el("input", { type: kind, name, value: option.value,
      checked: initial.includes(option.value) });
    node.append(el("label", { class: "choice" }, box, " ", option.text.text));
  }
  const boxes = () => [...node.querySelectorAll("input")];
  const get = () => {
    const on = boxes().filter((b) => b.checked).map((b) => b.value);
    return kind === "radio" ? on[0] || null : on;
  };
  node.addEventListener("change", () => onChange(get()));
  return { node, get, set: (v) => {
    const wanted = Array.isArray(v) ? v : [v];
    boxes().forEach((b) => { b.checked = wanted.includes(b.value); });
  } };
}

function pickerControl(e, ids, onChange, type, initial) {
  const node = el("input", { id: ids.id, type, "data-action-id": e.action_id });
  node.value = initial || "";
  const get = () => node.value || null;
  node.addEventListener("change", () => onChange(get()));
  return { node, get, set: (v) => { node.value = v || ""; } };
}

function peopleOptions(ctx) {
  return Object.values(ctx.people).map((p) => ({ value: p.id, text: `${p.real_name} (${p.role})` }));
}

function channelOptions(ctx) {
  return Object.values(ctx.channels).filter((c) => c.kind === "channel")
    .map((c) => ({ value: c.id, text: `#${c.name}` }));
}

// Users and conversations: a select (one) or a list of checkboxes (several).
function listSelect(e, ids, onChange, options, multiple, initial) {
  const chosen = Array.isArray(initial) ? initial : initial ? [initial] : [];
  if (multiple) {
    const fake = { action_id: e.action_id, options: options.map((o) => ({ value: o.value, text: { text: o.text } })),
      initial_options: chosen.map((value) => ({ value })) };
    return choiceGroup(fake, ids, onChange, "checkbox");
  }
  const node = el("select", { id: ids.id, "data-action-id": e.action_id });
  node.append(el("option", { value: "" }, e.placeholder ? e.placeholder.text : "Choose…"));
  options.forEach((o) => node.append(el("option", { value: o.value, selected: chosen.includes(o.value) }, o.text)));
  const get = () => node.value || null;
  node.addEventListener("change", () => onChange(get()));
  return { node, get, set: (v) => { node.value = v || ""; } };
}

// external_select: the app is asked for options (block_suggestion) as the person types.
function externalSelect(e, ctx, onChange, ids) {
  let selected = e.initial_option || null;
  let timer = null;
  const minimum = e.min_query_length === undefined ? 3 : e.min_query_length;
  const input = el("input", { id: ids.id, role: "combobox", "aria-autocomplete": "list",
    "aria-expanded": "false", autocomplete: "off", "data-action-id": e.action_id,
    placeholder: e.placeholder ? e.placeholder.text : "Type to search…" });
  input.value = selected ? selected.text.text : "";
  const list = el("div", { class: "listbox", role: "listbox", hidden: true });
  const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); };
  const choose = (option) => {
    selected = option;
    input.value = option.text.text;
    close();
    onChange(option);
  };
  const show = (answer) => {
    list.replaceChildren();
    const add = (o) => list.append(el("div", { role: "option", class: "option", tabindex: "-1",
      onmousedown: (ev) => { ev.preventDefault(); choose(o); } }, o.text.text));
    (answer.options || []).forEach(add);
    for (const group of answer.option_groups || []) {
      list.append(el("div", { class: "option-group" }, group.label.text));
      (group.options || []).forEach(add);
    }
    if (!list.children.length) list.append(el("div", { class: "option-empty" }, "No matches"));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  };
  const ask = () => {
    if (input.value.length < minimum) return close();
    ctx.suggest(e, input.value, ids.blockId).then(show);
  };
  input.addEventListener("input", () => { selected = null; clearTimeout(timer); timer = setTimeout(ask, 200); });
  input.addEventListener("focus", () => { if (minimum === 0 && !selected) ask(); });
  input.addEventListener("blur", () => setTimeout(close, 150));
  const node = el("div", { class: "combo" }, input, list);
  return { node, get: () => selected, set: (v) => { selected = v; input.value = v ? v.text.text : ""; } };
}

// Slack's client checks before anything is sent: required fields and text lengths.
function clientErrors(inputs) {
  const errors = {};
  for (const [blockId, input] of Object.entries(inputs)) {
    const value = input.get();
    const empty = value === null || value === "" || (Array.isArray(value) && !value.length);
    if (empty) {
      if (!input.block.optional) errors[blockId] = REQUIRED;
      continue;
    }
    const e = input.element;
    if (typeof value === "string" && e.max_length && value.length > e.max_length) {
      errors[blockId] = `Must be at most ${e.max_length} characters (now ${value.length}).`;
    } else if (typeof value === "string" && e.min_length && value.length < e.min_length) {
      errors[blockId] = `Must be at least ${e.min_length} characters.`;
    }
  }
  return errors;
}

function showErrors(root, errors) {
  root.querySelectorAll(".block-input").forEach((node) => {
    const message = (errors || {})[node.dataset.blockId] || "";
    node.querySelector(".field-error").textContent = message;
    node.classList.toggle("has-error", Boolean(message));
  });
}

function readValues(inputs) {
  const values = {};
  for (const [blockId, input] of Object.entries(inputs)) values[blockId] = input.get();
  return values;
}

// What a person typed survives a views.update wherever block_id and action_id stay the same.
function keptValues(inputs) {
  const kept = {};
  for (const [blockId, input] of Object.entries(inputs)) kept[`${blockId}/${input.element.action_id}`] = input.get();
  return kept;
}

function restoreValues(inputs, kept) {
  for (const [blockId, input] of Object.entries(inputs)) {
    const key = `${blockId}/${input.element.action_id}`;
    if (key in kept) input.set(kept[key]);
  }
}

// Draws the top modal of the stack. `shown` remembers what is on screen so a refresh
// leaves a modal being typed in alone unless the app changed it.
const ModalLayer = {
  shown: null,

  render(view, depth, app) {
    const layer = document.getElementById("modal-layer");
    if (!view) {
      this.shown = null;
      layer.hidden = true;
      layer.replaceChildren();
      return;
    }
    const same = this.shown && this.shown.id === view.id;
    if (same && this.shown.hash === view.hash) {
      showErrors(layer, view.errors);
      return;
    }
    const kept = same ? keptValues(this.shown.inputs) : null;
    const inputs = {};
    const ctx = app.context({ inputs, source: { view: view.id }, viewId: view.id });
    const body = el("div", { class: "modal-body" }, renderBlocks(view.blocks, ctx));
    const submit = view.submit
      ? el("button", { type: "submit", class: "sk-button sk-primary" }, view.submit) : null;
    const form = el("form", { class: "dialog modal", role: "dialog", "aria-modal": "true",
      "aria-labelledby": "modal-title", "data-view-id": view.id, "data-view-hash": view.hash,
      novalidate: true },
      el("header", {},
        depth > 1 ? el("button", { type: "button", class: "back", "aria-label": "Back",
          onclick: () => app.closeModal(view.id) }, "←") : null,
        el("h2", { id: "modal-title" }, view.title),
        el("button", { type: "button", class: "close-x", "aria-label": "Close",
          onclick: () => app.closeModal(view.id) }, "×")),
      body,
      el("footer", {},
        el("button", { type: "button", class: "sk-button", onclick: () => app.closeModal(view.id) },
          view.close || "Cancel"),
        submit));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const errors = clientErrors(inputs);
      showErrors(form, errors);
      if (Object.keys(errors).length) return;
      app.submitModal(view.id, readValues(inputs));
    });
    layer.replaceChildren(form);
    layer.hidden = false;
    if (kept) restoreValues(inputs, kept);
    showErrors(form, view.errors);
    this.shown = { id: view.id, hash: view.hash, inputs };
  },

  values() {
    return this.shown ? readValues(this.shown.inputs) : {};
  },
};
