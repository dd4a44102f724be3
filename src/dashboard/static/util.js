// Pure helpers shared by the views: DOM building, formatting, a lossless JSON
// pretty-printer, the Prometheus text parser and classifier-output detection.
// No DOM access at load time, so Node can unit-test it (js_test/).
'use strict';

(function (root) {
  const STFS = (root.STFS = root.STFS || {});

  // el('div', {class: 'card', dataset: {testid: 'x'}, onclick: fn}, 'text', child)
  // Strings become text nodes: model output is never parsed as HTML.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key === 'style' && typeof value === 'object') Object.assign(node.style, value);
      else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
      else if (key in node && typeof value !== 'string') node[key] = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function formatDuration(seconds) {
    if (!(seconds >= 0)) return '—';
    const s = Math.floor(seconds);
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    if (d > 0) return `${d}d ${h}h ${m}m`;
    if (h > 0) return `${h}h ${m}m`;
    if (m > 0) return `${m}m ${s % 60}s`;
    return `${s}s`;
  }

  function formatMs(ms) {
    if (!(ms >= 0)) return '—';
    if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
    if (ms < 100) return `${ms.toFixed(1)} ms`;
    if (ms < 10000) return `${ms.toFixed(0)} ms`;
    return `${(ms / 1000).toFixed(1)} s`;
  }

  function formatRate(perSecond) {
    if (!(perSecond >= 0)) return '—';
    return perSecond < 10 ? perSecond.toFixed(2) : perSecond.toFixed(0);
  }

  // Re-indents JSON text without parsing numbers, so int64 values above 2^53
  // and float text stay exactly as the server wrote them. Arrays that hold no
  // object or array stay on one line. Returns the input if it is not JSON-like.
  function prettyJson(text, indent = 2) {
    const src = String(text).trim();
    if (!src || (src[0] !== '{' && src[0] !== '[')) return String(text);
    const tokens = [];
    for (let i = 0; i < src.length;) {
      const c = src[i];
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') { i++; continue; }
      if (c === '"') {
        let j = i + 1;
        while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
        tokens.push(src.slice(i, j + 1));
        i = j + 1;
      } else if ('{}[],:'.includes(c)) {
        tokens.push(c);
        i++;
      } else {
        let j = i;
        while (j < src.length && !' \n\r\t{}[],:"'.includes(src[j])) j++;
        tokens.push(src.slice(i, j));
        i = j;
      }
    }
    // Which '[' start a flat array (no nested '[' or '{' before its ']').
    const flat = new Set();
    const stack = [];
    tokens.forEach((t, k) => {
      if (t === '[' || t === '{') {
        if (stack.length) stack[stack.length - 1].nested = true;
        stack.push({ k, nested: false, array: t === '[' });
      } else if (t === ']' || t === '}') {
        const open = stack.pop();
        if (open && open.array && !open.nested) flat.add(open.k);
      }
    });
    let out = '';
    let depth = 0;
    let flatDepth = 0;
    const pad = (n) => '\n' + ' '.repeat(n * indent);
    tokens.forEach((t, k) => {
      if (flatDepth > 0) {
        out += t === ',' ? ', ' : t;
        if (t === ']') flatDepth--;
        return;
      }
      if (t === '[' && flat.has(k)) {
        out += t;
        flatDepth = 1;
      } else if (t === '{' || t === '[') {
        const close = tokens[k + 1] === (t === '{' ? '}' : ']');
        out += t;
        if (!close) out += pad(++depth);
        else depth++;
      } else if (t === '}' || t === ']') {
        const empty = tokens[k - 1] === (t === '}' ? '{' : '[');
        depth--;
        out += empty ? t : pad(depth) + t;
      } else if (t === ',') {
        out += ',' + pad(depth);
      } else if (t === ':') {
        out += ': ';
      } else {
        out += t;
      }
    });
    return out;
  }

  // Prometheus text exposition -> [{name, labels, value}]. Names are
  // normalised so ":tensorflow:serving:request_count" (TF Serving's export)
  // and "tensorflow_serving_request_count" match: runs of non-alphanumerics
  // become "_" and leading/trailing "_" are dropped.
  function normalizeMetricName(name) {
    return name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  }

  function parsePrometheus(text) {
    const samples = [];
    for (const raw of String(text).split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const m = /^([^\s{]+)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!m) continue;
      const labels = {};
      const labelRe = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
      let lm;
      while ((lm = labelRe.exec(m[2] || '')) !== null) {
        labels[lm[1]] = lm[2].replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
      }
      const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
      samples.push({ name: normalizeMetricName(m[1]), labels, value });
    }
    return samples;
  }

  // Per-model cumulative counters from parsed samples:
  // {model: {requests, errors, latencySumUs, latencyCount, buckets: [[le, count]]}}.
  // Uses TF Serving's request_count {model_name, status} and request_latency
  // histogram (microseconds); any metric named like them from another exporter works.
  function modelStats(samples) {
    const stats = {};
    const get = (model) =>
      (stats[model] = stats[model] || { requests: 0, errors: 0, latencySumUs: 0, latencyCount: 0, buckets: {} });
    for (const s of samples) {
      const model = s.labels.model_name || s.labels.model;
      if (!model || !Number.isFinite(s.value)) continue;
      if (s.name.endsWith('serving_request_count')) {
        const st = get(model);
        st.requests += s.value;
        if (s.labels.status && s.labels.status !== 'OK') st.errors += s.value;
      } else if (s.name.endsWith('serving_request_latency_sum')) {
        get(model).latencySumUs += s.value;
      } else if (s.name.endsWith('serving_request_latency_count')) {
        get(model).latencyCount += s.value;
      } else if (s.name.endsWith('serving_request_latency_bucket')) {
        const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
        const b = get(model).buckets;
        b[le] = (b[le] || 0) + s.value;
      }
    }
    for (const st of Object.values(stats)) {
      st.buckets = Object.entries(st.buckets)
        .map(([le, n]) => [Number(le), n])
        .sort((a, b) => a[0] - b[0]);
    }
    return stats;
  }

  // Rates between two modelStats snapshots taken `seconds` apart; with no
  // previous snapshot, the cumulative averages.
  function modelRates(prev, cur, seconds) {
    const out = {};
    for (const [model, c] of Object.entries(cur)) {
      const p = prev && prev[model];
      const dReq = p ? c.requests - p.requests : NaN;
      const dCount = p ? c.latencyCount - p.latencyCount : 0;
      const dSum = p ? c.latencySumUs - p.latencySumUs : 0;
      const avgUs = dCount > 0 ? dSum / dCount : c.latencyCount > 0 ? c.latencySumUs / c.latencyCount : NaN;
      out[model] = {
        requests: c.requests,
        errors: c.errors,
        rate: p && seconds > 0 && dReq >= 0 ? dReq / seconds : NaN,
        avgLatencyMs: avgUs / 1000,
        p99LatencyMs: quantileFromBuckets(c.buckets, 0.99) / 1000,
      };
    }
    return out;
  }

  // Upper bound of the bucket holding quantile q of a cumulative histogram.
  function quantileFromBuckets(buckets, q) {
    if (!buckets || !buckets.length) return NaN;
    const total = buckets[buckets.length - 1][1];
    if (!(total > 0)) return NaN;
    for (const [le, n] of buckets) {
      if (n >= q * total) return Number.isFinite(le) ? le : buckets.length > 1 ? buckets[buckets.length - 2][0] : NaN;
    }
    return NaN;
  }

  // Finds a classifier-like output in a predict response: the first numeric
  // vector (or [1, N] matrix) named like probabilities/logits, else the only
  // numeric vector of length >= 2. Returns {alias, probs, labels, applied} with
  // probs normalised by softmax when the values are not already a distribution.
  // Labels: a string vector as long as probs, else a single string output
  // named like a class/label (a model's own top-1 name, e.g. class_name:
  // ["red"]) names the top class and the others keep their index.
  function findClassifier(response) {
    let outputs = response;
    if (outputs && typeof outputs === 'object' && !Array.isArray(outputs)) {
      if (outputs.outputs !== undefined) outputs = outputs.outputs;
      else if (Array.isArray(outputs.predictions)) outputs = outputs.predictions[0];
    }
    if (Array.isArray(outputs)) outputs = { predictions: outputs };
    if (!outputs || typeof outputs !== 'object') return null;
    const vectors = [];
    let labels = null;
    let topName = null;
    for (const [alias, value] of Object.entries(outputs)) {
      let v = value;
      if (Array.isArray(v) && v.length === 1 && Array.isArray(v[0])) v = v[0];
      if (Array.isArray(v) && v.length >= 2 && v.every((x) => typeof x === 'number')) vectors.push({ alias, v });
      else if (Array.isArray(v) && v.length >= 2 && v.every((x) => typeof x === 'string')) labels = labels || v;
      else if (/class|label|name/i.test(alias) && (typeof v === 'string' || (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string'))) {
        topName = topName || (typeof v === 'string' ? v : v[0]);
      }
    }
    if (!vectors.length) return null;
    const preferred = vectors.find((c) => /prob|softmax|score|logit|predict|output/i.test(c.alias));
    const pick = preferred || (vectors.length === 1 ? vectors[0] : null);
    if (!pick) return null;
    let probs = pick.v;
    const sum = probs.reduce((a, b) => a + b, 0);
    const isDistribution = probs.every((x) => x >= 0 && x <= 1) && Math.abs(sum - 1) < 1e-3;
    if (!isDistribution) probs = softmax(probs);
    let names = labels && labels.length === probs.length ? labels : null;
    if (!names && topName !== null) {
      const best = probs.indexOf(Math.max(...probs));
      names = probs.map((_, i) => (i === best ? topName : String(i)));
    }
    return {
      alias: pick.alias,
      probs,
      labels: names,
      applied: isDistribution ? null : 'softmax',
    };
  }

  function softmax(values) {
    const max = Math.max(...values);
    const exps = values.map((x) => Math.exp(x - max));
    const total = exps.reduce((a, b) => a + b, 0);
    return exps.map((x) => x / total);
  }

  // [{index, label, prob}] of the k largest probabilities.
  function topK(probs, k, labels) {
    return probs
      .map((prob, index) => ({ index, prob, label: labels ? labels[index] : String(index) }))
      .sort((a, b) => b.prob - a.prob)
      .slice(0, k);
  }

  // "DT_FLOAT" -> "float"
  function dtypeName(dtype) {
    return String(dtype || '').replace(/^DT_/, '').toLowerCase() || '?';
  }

  // TensorShapeProto JSON -> "[-1, 9]" / "unknown rank" / "scalar"
  function shapeString(shape) {
    if (!shape || shape.unknown_rank) return 'unknown rank';
    const dims = (shape.dim || []).map((d) => (d.size === undefined ? '?' : String(d.size)));
    return dims.length ? `[${dims.join(', ')}]` : 'scalar';
  }

  // "#/json?model=a&version=1" -> {route: 'json', rest: [], params: {...}}
  function parseHash(hash) {
    const h = String(hash || '').replace(/^#\/?/, '');
    const [path, query = ''] = h.split('?');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const params = {};
    for (const [k, v] of new URLSearchParams(query)) params[k] = v;
    return { route: parts[0] || 'overview', rest: parts.slice(1), params };
  }

  function buildHash(route, params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const qs = q.toString();
    return `#/${route}${qs ? '?' + qs : ''}`;
  }

  Object.assign(STFS, {
    util: {
      el, append, clear, formatDuration, formatMs, formatRate, prettyJson, normalizeMetricName,
      parsePrometheus, modelStats, modelRates, quantileFromBuckets, findClassifier, softmax, topK,
      dtypeName, shapeString, parseHash, buildHash,
    },
  });
  if (typeof module !== 'undefined' && module.exports) module.exports = STFS.util;
})(typeof window !== 'undefined' ? window : globalThis);
