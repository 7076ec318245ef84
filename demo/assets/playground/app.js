// The playground's page: settings to a session on the server, frames drawn as they stream in,
// and the tape's graph with its backward pass walked one node at a time.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

// Class colours, as in the demo's figures (points; regions are these mixed with white).
const CLASS_COLOURS = [[200, 40, 64], [54, 104, 176], [58, 150, 74], [232, 142, 32]];
// The box every tape node is drawn in; the server's layout places boxes of this size.
const NODE_WIDTH = 150;
const NODE_HEIGHT = 72;
// Curves keep at most this many points; beyond, every other one is dropped.
const MAX_CURVE_POINTS = 2000;

const state = {
  session: null,
  history: [],
  stream: null,
  busy: false,
  tape: null,
  backward: null,
  nextStep: 0,
};

// ---- talking to the server -------------------------------------------------------------------

/** Sends a request; resolves with the JSON answer, rejects with the server's one-line error. */
async function api(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    throw new Error(`the server did not answer (${error.message}); is demo serve still running?`);
  }
  const text = await response.text();
  let payload = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch (_) {
    payload = null;
  }
  if (!response.ok) {
    const reason = payload && payload.error ? payload.error : `${response.status} ${response.statusText}`;
    throw new Error(reason);
  }
  return payload;
}

function showError(message) {
  const box = $("error");
  box.textContent = message || "";
  box.hidden = !message;
}

/** Runs `action`, showing its error on the page instead of throwing. */
async function guarded(action) {
  try {
    await action();
  } catch (error) {
    showError(error.message);
  }
}

function sessionPath(suffix) {
  return `/api/sessions/${encodeURIComponent(state.session.id)}/${suffix}`;
}

// ---- settings --------------------------------------------------------------------------------

function numberOf(id) {
  const value = Number($(id).value);
  if ($(id).value.trim() === "" || !Number.isFinite(value)) {
    throw new Error(`${$(id).labels[0].textContent.trim()}: "${$(id).value}" is not a number`);
  }
  return value;
}

/** The RunConfig the controls describe (the CSV file is read here). */
async function readConfig() {
  const hiddenText = $("hidden").value.trim();
  const hidden = hiddenText === "" || hiddenText === "0"
    ? []
    : hiddenText.split(",").map((part) => {
      const width = Number(part.trim());
      if (!Number.isInteger(width)) {
        throw new Error(`hidden layer widths: "${part.trim()}" is not a whole number`);
      }
      return width;
    });
  const data = {
    kind: $("data-kind").value,
    n: numberOf("n"),
    noise: numberOf("noise"),
    seed: numberOf("data-seed"),
  };
  if (data.kind === "blobs") {
    data.classes = numberOf("classes");
  }
  if (data.kind === "csv") {
    const file = $("csv-file").files[0];
    if (!file) {
      throw new Error("CSV upload: choose a file of x,y,label rows first");
    }
    data.csv = await file.text();
    delete data.n;
    delete data.noise;
  }
  return {
    data,
    hidden,
    activation: $("activation").value,
    loss: $("loss").value,
    optimizer: $("optimizer").value,
    lr: numberOf("lr"),
    schedule: $("schedule").value.trim() || "constant",
    batch: numberOf("batch"),
    reg: numberOf("reg"),
    holdout: numberOf("holdout"),
    seed: numberOf("seed"),
    passes: numberOf("passes"),
  };
}

// ---- runs ------------------------------------------------------------------------------------

async function newRun() {
  pause();
  const config = await readConfig();
  const session = await api("POST", "/api/sessions", config);
  showError("");
  state.session = session;
  state.history = [];
  $("command").value = session.command;
  $("download-checkpoint").href = sessionPath("checkpoint");
  $("download-data").href = sessionPath("data.csv");
  clearTape();
  showFrame(session.frame);
}

function play() {
  if (!state.session || state.stream) {
    return;
  }
  const perFrame = Math.max(1, Math.min(1000, Math.round(numberOf("passes-per-frame"))));
  const stream = new EventSource(sessionPath(`stream?passes_per_frame=${perFrame}`));
  stream.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.error) {
      showError(frame.error);
      pause();
      return;
    }
    showFrame(frame);
  };
  stream.onerror = (event) => {
    // The server ends the stream when the run is complete, a newer stream starts or the session
    // is gone, and sends an "error" event (with data) when training diverges; never reconnect.
    if (event.data) {
      try {
        showError(JSON.parse(event.data).error);
      } catch (_) {
        showError(String(event.data));
      }
    }
    if (state.stream === stream) {
      pause();
    }
  };
  state.stream = stream;
  $("play").disabled = true;
  $("pause").disabled = false;
}

function pause() {
  if (state.stream) {
    state.stream.close();
    state.stream = null;
  }
  $("play").disabled = false;
  $("pause").disabled = true;
}

async function stepOnePass() {
  if (!state.session) {
    return;
  }
  pause();
  showFrame(await api("POST", sessionPath("step"), { passes: 1 }));
}

async function reset() {
  if (!state.session) {
    return;
  }
  pause();
  state.history = [];
  clearTape();
  showFrame(await api("POST", sessionPath("reset")));
}

// ---- frames ----------------------------------------------------------------------------------

function format(value, digits = 4) {
  return value === null || value === undefined ? "–" : Number(value).toPrecision(digits);
}

function showFrame(frame) {
  if (state.history.length && frame.pass <= state.history[state.history.length - 1].pass) {
    state.history = state.history.filter((entry) => entry.pass < frame.pass);
  }
  state.history.push({
    pass: frame.pass,
    loss: frame.loss,
    accuracy: frame.accuracy,
    holdoutLoss: frame.holdout_loss,
    holdoutAccuracy: frame.holdout_accuracy,
  });
  if (state.history.length > MAX_CURVE_POINTS) {
    state.history = state.history.filter((_, index) => index % 2 === 0);
  }
  $("pass").textContent = frame.pass;
  $("loss-value").textContent = format(frame.loss, 6);
  $("accuracy-value").textContent = format(frame.accuracy, 4);
  $("holdout-loss-value").textContent = format(frame.holdout_loss, 6);
  $("holdout-accuracy-value").textContent = format(frame.holdout_accuracy, 4);
  $("lr-value").textContent = format(frame.lr, 4);
  $("download-png").href = `${sessionPath("boundary.png")}?pass=${frame.pass}`;
  drawBoundary(frame.boundary);
  drawCurve($("loss-curve"), "loss", "loss", "holdoutLoss");
  drawCurve($("accuracy-curve"), "accuracy", "accuracy", "holdoutAccuracy", [0, 1]);
  if (state.tape) {
    $("node-info").textContent = "The model has changed since the tape was recorded: record the current pass again.";
  }
}

function mix(colour, amount) {
  return colour.map((channel) => Math.round(channel * amount + 255 * (1 - amount)));
}

/** The regions (deeper where the model is surer) and the points; held-out points are hollow. */
function drawBoundary(boundary) {
  const canvas = $("boundary");
  const context = canvas.getContext("2d");
  const res = boundary.res;
  const image = new ImageData(res, res);
  for (let cell = 0; cell < res * res; cell += 1) {
    const colour = CLASS_COLOURS[boundary.class[cell] % CLASS_COLOURS.length];
    const confidence = boundary.confidence[cell] === null ? 0 : boundary.confidence[cell];
    const [red, green, blue] = mix(colour, 0.2 + 0.4 * confidence);
    image.data.set([red, green, blue, 255], cell * 4);
  }
  const grid = document.createElement("canvas");
  grid.width = res;
  grid.height = res;
  grid.getContext("2d").putImageData(image, 0, 0);
  context.imageSmoothingEnabled = true;
  context.drawImage(grid, 0, 0, canvas.width, canvas.height);
  const toX = (x) => ((x - boundary.x_min) / (boundary.x_max - boundary.x_min)) * canvas.width;
  const toY = (y) => ((boundary.y_max - y) / (boundary.y_max - boundary.y_min)) * canvas.height;
  const drawPoints = (points, hollow) => {
    for (const [x, y, label] of points) {
      const [red, green, blue] = CLASS_COLOURS[label % CLASS_COLOURS.length];
      context.beginPath();
      context.arc(toX(x), toY(y), hollow ? 4 : 3.5, 0, 2 * Math.PI);
      context.lineWidth = hollow ? 2 : 1;
      if (hollow) {
        context.fillStyle = "#ffffff";
        context.fill();
        context.strokeStyle = `rgb(${red},${green},${blue})`;
      } else {
        context.fillStyle = `rgb(${red},${green},${blue})`;
        context.fill();
        context.strokeStyle = "#222222";
      }
      context.stroke();
    }
  };
  if (state.session) {
    drawPoints(state.session.train, false);
    drawPoints(state.session.holdout, true);
  }
}

/** A curve of `key` (solid) and `heldOutKey` (dashed) against the pass. */
function drawCurve(canvas, title, key, heldOutKey, fixedRange) {
  const context = canvas.getContext("2d");
  const { width, height } = canvas;
  const margin = { left: 48, right: 10, top: 18, bottom: 20 };
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, width, height);
  const history = state.history;
  const values = history.flatMap((entry) => [entry[key], entry[heldOutKey]])
    .filter((value) => value !== null && Number.isFinite(value));
  let [low, high] = fixedRange || [Math.min(0, ...values), Math.max(...values, 1e-9)];
  if (high <= low) {
    high = low + 1;
  }
  const lastPass = history.length ? Math.max(1, history[history.length - 1].pass) : 1;
  const toX = (pass) => margin.left + (pass / lastPass) * (width - margin.left - margin.right);
  const toY = (value) => height - margin.bottom - ((value - low) / (high - low)) * (height - margin.top - margin.bottom);
  context.strokeStyle = "#999999";
  context.lineWidth = 1;
  context.setLineDash([]);
  context.strokeRect(margin.left, margin.top, width - margin.left - margin.right, height - margin.top - margin.bottom);
  context.fillStyle = "#333333";
  context.font = "11px sans-serif";
  context.fillText(`${title} (solid: training, dashed: held out)`, margin.left, 12);
  context.fillText(format(high, 3), 4, margin.top + 8);
  context.fillText(format(low, 3), 4, height - margin.bottom);
  context.fillText(`pass ${history.length ? history[history.length - 1].pass : 0}`, width - 90, height - 5);
  for (const [series, dash] of [[key, []], [heldOutKey, [5, 4]]]) {
    context.beginPath();
    context.setLineDash(dash);
    context.strokeStyle = "#3668b0";
    context.lineWidth = 1.5;
    let started = false;
    for (const entry of history) {
      const value = entry[series];
      if (value === null || !Number.isFinite(value)) {
        continue;
      }
      if (started) {
        context.lineTo(toX(entry.pass), toY(value));
      } else {
        context.moveTo(toX(entry.pass), toY(value));
        started = true;
      }
    }
    context.stroke();
  }
  context.setLineDash([]);
}

// ---- gradient check and export ---------------------------------------------------------------

async function gradientCheck() {
  if (!state.session) {
    return;
  }
  pause();
  $("gradcheck-result").textContent = "checking…";
  const result = await api("POST", sessionPath("gradcheck"));
  const worst = result.worst;
  const where = worst ? `${worst.parameter}[${worst.index.join(", ")}]` : "–";
  $("gradcheck-result").textContent = `${result.passed ? "passed" : "FAILED"}: ${result.checked} elements checked; ` +
    (worst
      ? `worst ${where}: analytic ${format(worst.analytic, 8)}, numeric ${format(worst.numeric, 8)}, relative error ${format(worst.rel_error, 3)}`
      : "nothing to check");
  $("gradcheck-result").className = result.passed ? "passed" : "failed";
}

async function copyCommand() {
  const text = $("command").value;
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {
    $("command").select();
    document.execCommand("copy");
  }
  $("copy-command").textContent = "Copied";
  setTimeout(() => { $("copy-command").textContent = "Copy command"; }, 1500);
}

// ---- the tape --------------------------------------------------------------------------------

function clearTape() {
  state.tape = null;
  state.backward = null;
  state.nextStep = 0;
  $("tape-graph").replaceChildren();
  $("backward-detail").replaceChildren();
  $("backward-progress").textContent = "";
  $("node-info").textContent = "Record a pass to see its graph.";
  for (const id of ["step-backward", "run-backward", "restart-backward"]) {
    $(id).disabled = true;
  }
}

async function loadTape() {
  if (!state.session) {
    return;
  }
  pause();
  const [tape, backward] = await Promise.all([api("GET", sessionPath("tape")), api("GET", sessionPath("backward"))]);
  state.tape = tape;
  state.backward = backward;
  state.nextStep = 0;
  drawTape();
  $("backward-detail").replaceChildren();
  $("node-info").textContent = `${tape.nodes.length} nodes; the loss is node ${tape.loss}. Hover a node for its source line.`;
  for (const id of ["step-backward", "run-backward", "restart-backward"]) {
    $(id).disabled = false;
  }
  showProgress();
}

function nodeById(id) {
  return state.tape.nodes.find((node) => node.id === id);
}

/** The node's short description: op, its name or tutorial label, and its id. */
function nodeTitle(node) {
  const name = node.label || node.name;
  const op = node.kind === "op" ? node.op : node.kind;
  return name ? `${name} (${op} #${node.id})` : `${op} #${node.id}`;
}

/** Where each node's box is centred: the server's layout, or rows by id when it sent none. */
function nodeCentres(tape) {
  if (tape.layout && tape.layout.length === tape.nodes.length) {
    return tape.layout.map((point) => ({ x: point.x, y: point.y }));
  }
  const perRow = 5;
  return tape.nodes.map((_, index) => ({
    x: 20 + NODE_WIDTH / 2 + (index % perRow) * (NODE_WIDTH + 20),
    y: 20 + NODE_HEIGHT / 2 + Math.floor(index / perRow) * (NODE_HEIGHT + 40),
  }));
}

function svgElement(name, attributes, parent) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, value);
  }
  if (parent) {
    parent.appendChild(element);
  }
  return element;
}

/** Blue for negative, red for positive, white for zero, scaled by the largest magnitude. */
function heatColour(value, scale) {
  const amount = scale > 0 ? Math.max(-1, Math.min(1, value / scale)) : 0;
  const [red, green, blue] = amount >= 0 ? [200, 40, 64] : [54, 104, 176];
  const strength = Math.abs(amount);
  return `rgb(${Math.round(255 + (red - 255) * strength)},${Math.round(255 + (green - 255) * strength)},${Math.round(255 + (blue - 255) * strength)})`;
}

/** A small heatmap of a summary's preview inside `parent`, in the box at (x, y, width, height). */
function drawHeatmap(parent, summary, x, y, width, height) {
  const preview = summary.preview || [];
  if (!preview.length) {
    return;
  }
  const shape = summary.shape;
  const columns = Math.max(1, Math.min(preview.length, shape.length >= 2 ? shape[shape.length - 1] : preview.length));
  const rows = Math.ceil(preview.length / columns);
  const scale = Math.max(...preview.map((value) => Math.abs(value === null ? 0 : value)));
  const cellWidth = width / columns;
  const cellHeight = Math.min(height / rows, cellWidth * 2);
  preview.forEach((value, index) => {
    svgElement("rect", {
      x: x + (index % columns) * cellWidth,
      y: y + Math.floor(index / columns) * cellHeight,
      width: cellWidth,
      height: cellHeight,
      fill: heatColour(value === null ? 0 : value, scale),
    }, parent);
  });
}

function drawTape() {
  const tape = state.tape;
  const graph = $("tape-graph");
  graph.replaceChildren();
  const centres = nodeCentres(tape);
  const width = Math.max(...centres.map((c) => c.x)) + NODE_WIDTH / 2 + 20;
  const height = Math.max(...centres.map((c) => c.y)) + NODE_HEIGHT / 2 + 20;
  graph.setAttribute("width", width);
  graph.setAttribute("height", height);
  graph.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const defs = svgElement("defs", {}, graph);
  const marker = svgElement("marker", {
    id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto",
  }, defs);
  svgElement("path", { d: "M0,0 L10,5 L0,10 z", fill: "#666666" }, marker);
  const index = new Map(tape.nodes.map((node, position) => [node.id, position]));
  for (const [from, to] of tape.edges) {
    const start = centres[index.get(from)];
    const end = centres[index.get(to)];
    const [x1, y1, x2, y2] = [start.x, start.y + NODE_HEIGHT / 2, end.x, end.y - NODE_HEIGHT / 2];
    const bend = Math.max(20, (y2 - y1) / 2);
    svgElement("path", {
      class: "edge", "data-from": from, "data-to": to,
      d: `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`,
      "marker-end": "url(#arrow)",
    }, graph);
  }
  tape.nodes.forEach((node, position) => {
    const centre = centres[position];
    const left = centre.x - NODE_WIDTH / 2;
    const top = centre.y - NODE_HEIGHT / 2;
    const group = svgElement("g", { class: `node ${node.kind}`, id: `node-${node.id}`, "data-node": node.id, tabindex: 0 }, graph);
    svgElement("title", {}, group).textContent = `${nodeTitle(node)} recorded at ${node.source}`;
    svgElement("rect", { class: "box", x: left, y: top, width: NODE_WIDTH, height: NODE_HEIGHT, rx: 5 }, group);
    const heading = svgElement("text", { x: left + 6, y: top + 14, class: "op" }, group);
    heading.textContent = node.kind === "op" ? node.op : (node.name || node.kind);
    const shape = svgElement("text", { x: left + 6, y: top + 28, class: "shape" }, group);
    shape.textContent = `[${node.shape.join(", ")}] #${node.id}`;
    const names = [node.label, node.gradient_label].filter(Boolean).join(" · ");
    if (names) {
      const badge = svgElement("text", { x: left + NODE_WIDTH - 6, y: top + 14, class: "label", "text-anchor": "end" }, group);
      badge.textContent = names;
    }
    drawHeatmap(group, node.value, left + 6, top + 34, NODE_WIDTH - 12, NODE_HEIGHT - 40);
    group.addEventListener("mouseenter", () => {
      const params = node.params ? ` [${node.params}]` : "";
      $("node-info").textContent = `${nodeTitle(node)}${params}: shape [${node.shape.join(", ")}], ` +
        `values ${format(node.value.min, 3)} … ${format(node.value.max, 3)}, recorded at ${node.source}` +
        (node.rule ? `; backward: ${node.rule}` : "");
    });
  });
}

function showProgress() {
  const total = state.backward.steps.length;
  $("backward-progress").textContent = `step ${state.nextStep} of ${total}`;
  $("step-backward").disabled = state.nextStep >= total;
  $("run-backward").disabled = state.nextStep >= total;
}

/** A summary as a table cell's content: its numbers (the preview) and its range. */
function summaryBlock(summary, className) {
  const block = document.createElement("div");
  block.className = `summary ${className}`;
  const picture = svgElement("svg", { width: 120, height: 40, class: "heatmap" });
  drawHeatmap(picture, summary, 0, 0, 120, 40);
  block.appendChild(picture);
  const numbers = document.createElement("code");
  numbers.className = "values";
  const shown = summary.preview.map((value) => format(value, 6)).join(" ");
  const total = summary.shape.reduce((product, size) => product * size, 1);
  numbers.textContent = `[${summary.shape.join(", ")}] ${shown}${total > summary.preview.length ? " …" : ""}`;
  block.appendChild(numbers);
  const range = document.createElement("small");
  range.textContent = ` min ${format(summary.min, 4)}, max ${format(summary.max, 4)}, mean ${format(summary.mean, 4)}`;
  block.appendChild(range);
  return block;
}

function gradientName(node) {
  return node.gradient_label || `dL/d${node.name || node.label || `#${node.id}`}`;
}

/** Shows backward step `index`: the upstream gradient arriving, the rule, the inputs' gradients. */
function showStep(index) {
  const step = state.backward.steps[index];
  const node = nodeById(step.node);
  for (const element of document.querySelectorAll("#tape-graph .node.current, #tape-graph .node.receiving")) {
    element.classList.remove("current", "receiving");
  }
  const box = $(`node-${step.node}`);
  if (box) {
    box.classList.add("current", "done");
    box.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
  for (const contribution of step.contributions) {
    const input = $(`node-${contribution.input}`);
    if (input) {
      input.classList.add("receiving");
    }
  }
  const detail = document.createElement("article");
  detail.className = "step";
  detail.dataset.step = index;
  detail.dataset.node = step.node;
  const heading = document.createElement("h3");
  heading.textContent = `Step ${index + 1}: ${nodeTitle(node)}`;
  detail.appendChild(heading);
  const upstream = document.createElement("p");
  const valueName = node.label || node.name || `#${step.node}`;
  upstream.textContent = `Upstream gradient arriving, dL/d${valueName}${node.gradient_label ? ` = ${node.gradient_label}` : ""}:`;
  detail.appendChild(upstream);
  const upstreamBlock = summaryBlock(step.upstream, "upstream");
  upstreamBlock.dataset.node = step.node;
  upstreamBlock.dataset.label = node.gradient_label || "";
  detail.appendChild(upstreamBlock);
  const rule = document.createElement("p");
  rule.className = "rule";
  rule.textContent = `Rule: ${step.rule || node.rule || "(a leaf: the gradient stops here)"}`;
  detail.appendChild(rule);
  for (const contribution of step.contributions) {
    const input = nodeById(contribution.input);
    const line = document.createElement("p");
    line.textContent = `→ to its input ${nodeTitle(input)}:`;
    detail.appendChild(line);
    const block = summaryBlock(contribution.gradient, "contribution");
    block.dataset.input = contribution.input;
    detail.appendChild(block);
  }
  const panel = $("backward-detail");
  panel.prepend(detail);
  if (index + 1 === state.backward.steps.length) {
    showFinalGradients(panel);
  }
}

/** After the last step: the engine's gradient of every leaf (dW1, db1, ... for the tutorial). */
function showFinalGradients(panel) {
  const table = document.createElement("article");
  table.id = "final-gradients";
  const heading = document.createElement("h3");
  heading.textContent = "The gradients backward leaves on the parameters";
  table.appendChild(heading);
  for (const entry of state.backward.gradients) {
    const node = nodeById(entry.node);
    if (!node || node.kind !== "parameter") {
      continue;
    }
    const line = document.createElement("p");
    line.textContent = `${gradientName(node)} = dL/d${node.name || `#${node.id}`}:`;
    table.appendChild(line);
    const block = summaryBlock(entry.gradient, "final");
    block.dataset.node = entry.node;
    block.dataset.name = node.name || "";
    table.appendChild(block);
  }
  panel.prepend(table);
}

function stepBackward() {
  if (!state.backward || state.nextStep >= state.backward.steps.length) {
    return;
  }
  showStep(state.nextStep);
  state.nextStep += 1;
  showProgress();
}

function runBackward() {
  while (state.backward && state.nextStep < state.backward.steps.length) {
    stepBackward();
  }
}

function restartBackward() {
  state.nextStep = 0;
  $("backward-detail").replaceChildren();
  for (const element of document.querySelectorAll("#tape-graph .node")) {
    element.classList.remove("current", "receiving", "done");
  }
  showProgress();
}

// ---- wiring ----------------------------------------------------------------------------------

function showDataControls() {
  const kind = $("data-kind").value;
  $("classes").disabled = kind !== "blobs";
  $("csv-file").disabled = kind !== "csv";
  $("n").disabled = kind === "csv";
  $("noise").disabled = kind === "csv";
}

function wire() {
  $("config-form").addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(newRun);
  });
  $("data-kind").addEventListener("change", showDataControls);
  $("noise").addEventListener("input", () => { $("noise-shown").textContent = Number($("noise").value).toFixed(2); });
  $("csv-file").addEventListener("change", () => {
    $("data-kind").value = "csv";
    showDataControls();
  });
  $("play").addEventListener("click", () => guarded(async () => play()));
  $("pause").addEventListener("click", pause);
  $("step").addEventListener("click", () => guarded(stepOnePass));
  $("reset").addEventListener("click", () => guarded(reset));
  $("gradcheck").addEventListener("click", () => guarded(gradientCheck));
  $("copy-command").addEventListener("click", () => guarded(copyCommand));
  $("load-tape").addEventListener("click", () => guarded(loadTape));
  $("step-backward").addEventListener("click", stepBackward);
  $("run-backward").addEventListener("click", runBackward);
  $("restart-backward").addEventListener("click", restartBackward);
  showDataControls();
  guarded(newRun);
}

wire();
