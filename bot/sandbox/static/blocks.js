// Block Kit to DOM. Interactive elements call ctx.act(element, block, value); modal
// inputs are drawn by modal.js (renderInput), which this file calls for input blocks.
"use strict";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "html") node.innerHTML = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function renderBlocks(blocks, ctx) {
  const box = el("div", { class: "blocks" });
  for (const block of blocks || []) {
    const drawn = renderBlock(block, ctx);
    if (drawn) box.append(drawn);
  }
  return box;
}

function renderBlock(block, ctx) {
  const attrs = { class: `block block-${block.type}`, "data-block-id": block.block_id };
  switch (block.type) {
    case "header":
      return el("h3", { ...attrs, html: textObject(block.text, ctx) });
    case "divider":
      return el("hr", attrs);
    case "section":
      return renderSection(block, ctx, attrs);
    case "context":
      return el("div", attrs, (block.elements || []).map((e) =>
        e.type === "image"
          ? el("img", { src: e.image_url, alt: e.alt_text || "", class: "context-image" })
          : el("span", { class: "context-item", html: textObject(e, ctx) })));
    case "actions":
      return el("div", attrs, (block.elements || []).map((e) => renderElement(e, block, ctx)));
    case "image":
      return el("figure", attrs, el("img", { src: block.image_url, alt: block.alt_text || "" }),
        block.title ? el("figcaption", { html: textObject(block.title, ctx) }) : null);
    case "input":
      return renderInput(block, ctx);
    case "rich_text":
      return el("div", attrs, richTextPlain(block));
    default:
      return el("div", { ...attrs, class: "block block-unknown" }, `[${block.type} block]`);
  }
}

function renderSection(block, ctx, attrs) {
  const body = el("div", { class: "section-body" });
  if (block.text) body.append(el("div", { class: "section-text", html: textObject(block.text, ctx) }));
  if (block.fields && block.fields.length) {
    body.append(el("div", { class: "section-fields" },
      block.fields.map((f) => el("div", { class: "section-field", html: textObject(f, ctx) }))));
  }
  const node = el("div", attrs, body);
  if (block.accessory) node.append(el("div", { class: "accessory" }, renderElement(block.accessory, block, ctx)));
  return node;
}

function richTextPlain(block) {
  const words = [];
  const walk = (items) => (items || []).forEach((item) => {
    if (item.text) words.push(item.text);
    if (item.elements) walk(item.elements);
  });
  walk(block.elements);
  return words.join("");
}

// Buttons, overflow menus and selects outside input blocks: each use sends a block action.
function renderElement(element, block, ctx) {
  switch (element.type) {
    case "button":
      return el("button", {
        class: `sk-button ${element.style ? "sk-" + element.style : ""}`,
        type: "button",
        "data-action-id": element.action_id,
        onclick: () => withConfirm(element.confirm, ctx, () => element.url
          ? window.open(element.url, "_blank", "noopener")
          : ctx.act(element, block, null)),
      }, textObject(element.text, ctx));
    case "overflow":
      return renderOverflow(element, block, ctx);
    case "static_select":
      return renderActionSelect(element, block, ctx);
    case "image":
      return el("img", { class: "accessory-image", src: element.image_url, alt: element.alt_text || "" });
    default:
      if (typeof renderControl === "function") {
        return renderControl(element, block, ctx, (value) => ctx.act(element, block, value));
      }
      return el("span", {}, `[${element.type}]`);
  }
}

function renderOverflow(element, block, ctx) {
  const menu = el("div", { class: "menu", hidden: true, role: "menu" });
  for (const option of element.options || []) {
    menu.append(el("button", { role: "menuitem", type: "button", onclick: () => {
      menu.hidden = true;
      withConfirm(element.confirm, ctx, () => ctx.act(element, block, option.value));
    } }, textObject(option.text, ctx)));
  }
  const toggle = el("button", { class: "sk-button overflow", type: "button", "aria-label": "More actions",
    onclick: () => { menu.hidden = !menu.hidden; } }, "⋯");
  return el("span", { class: "overflow-wrap" }, toggle, menu);
}

function renderActionSelect(element, block, ctx) {
  const select = el("select", { "data-action-id": element.action_id,
    onchange: () => ctx.act(element, block, select.value || null) });
  select.append(el("option", { value: "" }, element.placeholder ? element.placeholder.text : "Choose…"));
  appendOptions(select, element, element.initial_option && element.initial_option.value);
  return select;
}

function appendOptions(select, element, chosen) {
  const add = (parent, option) => parent.append(el("option", {
    value: option.value, selected: option.value === chosen ? true : null }, option.text.text));
  for (const option of element.options || []) add(select, option);
  for (const group of element.option_groups || []) {
    const node = el("optgroup", { label: group.label.text });
    (group.options || []).forEach((o) => add(node, o));
    select.append(node);
  }
}

// Slack's confirm dialog: title, text, a confirm button (styled) and a deny button.
function withConfirm(confirm, ctx, go) {
  if (!confirm) return go();
  const layer = document.getElementById("confirm-layer");
  const done = (yes) => { layer.hidden = true; layer.replaceChildren(); if (yes) go(); };
  const style = confirm.style === "danger" ? "sk-danger" : "sk-primary";
  layer.replaceChildren(el("div", { class: "dialog confirm", role: "alertdialog", "aria-modal": "true" },
    el("h2", {}, confirm.title ? confirm.title.text : "Are you sure?"),
    el("div", { class: "confirm-text", html: textObject(confirm.text, ctx) }),
    el("div", { class: "dialog-buttons" },
      el("button", { type: "button", class: "sk-button", onclick: () => done(false) },
        confirm.deny ? confirm.deny.text : "Cancel"),
      el("button", { type: "button", class: `sk-button ${style}`, onclick: () => done(true) },
        confirm.confirm ? confirm.confirm.text : "Yes"))));
  layer.hidden = false;
}
