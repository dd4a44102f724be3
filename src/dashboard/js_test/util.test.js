// Unit tests of static/util.js and the api.js adapters with Node's test runner
// (tooling only; the server never runs Node). Run: node --test src/dashboard/js_test/
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const util = require(path.join(__dirname, '..', 'static', 'util.js'));
require(path.join(__dirname, '..', 'static', 'api.js'));
const api = globalThis.STFS.api;

test('prettyJson keeps int64 digits and puts flat arrays on one line', () => {
  const text = '{"outputs":{"ids":[9007199254740993,2],"m":[[1.0,2],[3,4]],"s":"a,b:{c}","e":{}}}';
  const pretty = util.prettyJson(text);
  assert.match(pretty, /9007199254740993, 2/);
  assert.match(pretty, /"s": "a,b:\{c\}"/);
  assert.match(pretty, /\[1\.0, 2\]/);
  assert.match(pretty, /"e": \{\}/);
  assert.deepEqual(JSON.parse(pretty), JSON.parse(text));
  assert.equal(util.prettyJson('not json'), 'not json');
});

test('parsePrometheus normalises TF Serving names and reads labels', () => {
  const text = [
    '# TYPE :tensorflow:serving:request_count counter',
    ':tensorflow:serving:request_count{model_name="m",status="OK"} 10',
    ':tensorflow:serving:request_count{model_name="m",status="INVALID_ARGUMENT"} 2',
    ':tensorflow:serving:request_latency_bucket{model_name="m",API="predict",entrypoint="REST",le="100"} 6',
    ':tensorflow:serving:request_latency_bucket{model_name="m",API="predict",entrypoint="REST",le="1000"} 12',
    ':tensorflow:serving:request_latency_bucket{model_name="m",API="predict",entrypoint="REST",le="+Inf"} 12',
    ':tensorflow:serving:request_latency_sum{model_name="m",API="predict",entrypoint="REST"} 2400',
    ':tensorflow:serving:request_latency_count{model_name="m",API="predict",entrypoint="REST"} 12',
    'process_start_time_seconds 1700000000',
  ].join('\n');
  const samples = util.parsePrometheus(text);
  assert.equal(samples[0].name, 'tensorflow_serving_request_count');
  assert.equal(samples[0].labels.model_name, 'm');
  const stats = util.modelStats(samples);
  assert.equal(stats.m.requests, 12);
  assert.equal(stats.m.errors, 2);
  assert.equal(stats.m.latencySumUs, 2400);
  const first = util.modelRates(null, stats, 0).m;
  assert.ok(Number.isNaN(first.rate));
  assert.equal(first.avgLatencyMs, 0.2);
  assert.equal(first.p99LatencyMs, 1);
  const later = JSON.parse(JSON.stringify(stats));
  later.m.requests = 22;
  assert.equal(util.modelRates(stats, later, 5).m.rate, 2);
});

test('findClassifier picks probabilities, applies softmax to logits, uses labels', () => {
  const probs = util.findClassifier({ prediction: [6], softmax: [[0.1, 0.7, 0.2]] });
  assert.equal(probs.alias, 'softmax');
  assert.equal(probs.applied, null);
  assert.deepEqual(util.topK(probs.probs, 2).map((r) => r.index), [1, 2]);
  const logits = util.findClassifier({ outputs: { logits: [[1, 3, 2]], classes: [['a', 'b', 'c']] } });
  assert.equal(logits.applied, 'softmax');
  assert.deepEqual(logits.labels, ['a', 'b', 'c']);
  assert.equal(util.topK(logits.probs, 1, logits.labels)[0].label, 'b');
  assert.equal(util.findClassifier({ keys: [[1]] }), null);
  // A model that names its own top class (color_cnn: class_name ["green"]).
  const named = util.findClassifier({ probabilities: [[0.2, 0.7, 0.1]], class_id: [1], class_name: ['green'] });
  assert.deepEqual(named.labels, ['0', 'green', '2']);
  assert.equal(util.topK(named.probs, 1, named.labels)[0].label, 'green');
});

test('hash routes round-trip', () => {
  const r = util.parseHash(util.buildHash('json', { model: 'a b', version: '', signature: 'x' }));
  assert.equal(r.route, 'json');
  assert.deepEqual(r.params, { model: 'a b', signature: 'x' });
  assert.deepEqual(util.parseHash('#/models/my%2Fmodel').rest, ['my/model']);
  assert.equal(util.parseHash('').route, 'overview');
});

test('api adapters accept the listing and metadata shapes', () => {
  const models = api.normalizeModelList({ models: [{ name: 'm', platform: 'tensorflow',
    versions: [{ version: '1', state: 'AVAILABLE', error: '' }, { version: 2, state: 'END', error: 'boom' }] }] });
  assert.deepEqual(models[0].versions.map((v) => v.version), ['1', '2']);
  assert.equal(models[0].versions[1].error, 'boom');
  const original = api.normalizeModelList([{ model_name: 'default', model_version_list: ['1', '2'], platform: 'TensorFlow' }]);
  assert.equal(original[0].name, 'default');
  const sigs = api.normalizeMetadata({ metadata: { signature_def: { signature_def: {
    predict: { inputs: {}, outputs: {}, method_name: 'p' },
    serving_default: { inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '-1' }, { size: '9' }], unknown_rank: false }, name: 'x:0' } },
      outputs: {}, method_name: 'tensorflow/serving/predict' },
    __saved_model_init_op: { inputs: {}, outputs: {}, method_name: '' } } } } });
  assert.deepEqual(sigs.map((s) => s.name), ['serving_default', 'predict']);
  assert.equal(util.shapeString(sigs[0].inputs[0].shape), '[-1, 9]');
  assert.equal(util.dtypeName(sigs[0].inputs[0].dtype), 'float');
  assert.equal(api.modelPath('m', '3'), '/v1/models/m/versions/3');
  assert.equal(api.modelPath('m', 'canary'), '/v1/models/m/labels/canary');
});
