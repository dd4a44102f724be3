// Browser tests of the dashboard: Debian's headless Chromium driven by
// playwright-core against the real server binary on 127.0.0.1.
//
//   node dashboard.test.js --server BIN --example-models DIR --models-dir DIR --out DIR
//
// --example-models: tools/make_example_models output (half_plus_two, iris_mlp,
// color_cnn, color_cnn_tensor); --models-dir: /work/shared/models (for
// stfs/deep_image_model, its test image and cases.json); --out: screenshots go
// to DIR/browser_screenshots. Prints "N passed, N failed"; exit 1 on failure.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { chromium } = require('playwright-core');
const { redPng } = require('./png');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const EXAMPLE_MODELS = ['half_plus_two', 'iris_mlp', 'color_cnn', 'color_cnn_tensor'];

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`bad argument ${argv[i]}`);
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const k of ['server', 'example-models', 'models-dir', 'out']) {
    if (!args[k]) throw new Error(`missing --${k}`);
  }
  return args;
}

// TF Serving text config with the example models and deep_image_model.
function writeConfig(dir, exampleModels, modelsDir) {
  const entries = EXAMPLE_MODELS.map((n) => [n, path.resolve(exampleModels, n)]);
  entries.push(['deep_image_model', path.resolve(modelsDir, 'stfs/deep_image_model')]);
  const text = 'model_config_list {\n' + entries.map(([name, base]) =>
    `  config {\n    name: "${name}"\n    base_path: "${base}"\n    model_platform: "tensorflow"\n  }\n`).join('') + '}\n';
  const file = path.join(dir, 'models.config');
  fs.writeFileSync(file, text);
  return file;
}

// Starts the server on a free port; resolves {url, stop} once it listens.
function startServer(binary, extraArgs, timeoutMs = 600000) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STFS_')));
  const proc = spawn(binary, ['--host=127.0.0.1', '--port=0', ...extraArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const stop = () => new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const killer = setTimeout(() => proc.kill('SIGKILL'), 20000);
    proc.once('exit', () => { clearTimeout(killer); resolve(); });
    proc.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop(); reject(new Error(`server did not start:\n${log}`)); }, timeoutMs);
    const onData = (chunk) => {
      log += chunk;
      const m = /listening on (https?):\/\/[^ ]*:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({ url: `${m[1]}://127.0.0.1:${m[2]}`, stop, log: () => log });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (c) => { log += c; });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${log}`)); });
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const shots = path.join(args.out, 'browser_screenshots');
  fs.mkdirSync(shots, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stfs-browser-'));
  const cases = JSON.parse(fs.readFileSync(path.join(args['models-dir'], 'cases.json'), 'utf8'));
  const mewCase = cases.find((c) => c.id === 'stfs/deep_image_model:predict_mew');
  const mewClass = String(mewCase.expected.prediction[0]);
  const mewJpg = path.join(args['models-dir'], 'stfs/_test_inputs/images_mew.jpg');

  const results = [];
  const servers = [];
  let context = null;
  const pageErrors = [];
  try {
    const server = await startServer(args.server,
      [`--model_config_file=${writeConfig(tmp, args['example-models'], args['models-dir'])}`]);
    servers.push(server);
    const base = server.url;

    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 },
    });
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(60000);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });

    async function check(name, fn) {
      const started = Date.now();
      try {
        await fn();
        results.push([name, null]);
        console.log(`ok   ${name} (${Date.now() - started} ms)`);
      } catch (err) {
        results.push([name, err]);
        console.log(`FAIL ${name}: ${err && err.stack || err}`);
        await page.screenshot({ path: path.join(shots, `FAIL-${name.replace(/\W+/g, '_')}.png`), fullPage: true }).catch(() => {});
      }
    }
    const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

    await check('overview lists every model with its state', async () => {
      await page.goto(`${base}/`);
      for (const m of [...EXAMPLE_MODELS, 'deep_image_model']) {
        await page.locator(`#model-list tr[data-model="${m}"]`).waitFor();
        assert.match(await page.locator(`#model-list tr[data-model="${m}"]`).innerText(), /AVAILABLE/i);
      }
      await page.locator('#server-status[data-state="running"]').waitFor();
      assert.equal(await page.locator('#model-count').innerText(), '5');
      await page.waitForFunction(() => document.getElementById('server-uptime').textContent !== '—');
      await shot('overview_1280');
    });

    await check('model page shows signatures and the example request', async () => {
      await page.locator('#model-list a', { hasText: 'half_plus_two' }).click();
      await page.waitForURL(/#\/models\/half_plus_two/);
      assert.equal(await page.locator('#model-name').innerText(), 'half_plus_two');
      const sig = page.locator('[data-signature="serving_default"]');
      await sig.waitFor();
      await page.waitForFunction(() => /"x": \[\[1\.0\]\]/.test(
        document.querySelector('[data-testid="example-serving_default"]').textContent));
      assert.match(await page.locator('[data-testid="version-table"]').innerText(), /AVAILABLE/i);
      await shot('model_half_plus_two_1280');
    });

    await check('JSON inference on half_plus_two: x=[[1.0]] -> y=2.5', async () => {
      await page.goto(`${base}/#/json?model=half_plus_two`);
      await page.waitForFunction(() => document.getElementById('json-input').value.includes('"x"'));
      await page.fill('#json-input', '{"signature_name": "serving_default", "inputs": {"x": [[1.0]]}}');
      await page.click('#run-json');
      await page.locator('[data-testid="json-reply-status"]').waitFor();
      const out = JSON.parse(await page.locator('#json-output').innerText());
      assert.deepEqual(out, { outputs: [[2.5]] });
      await shot('json_half_plus_two_1280');
    });

    await check('JSON inference with the original API flavor', async () => {
      await page.selectOption('#json-flavor', 'original');
      await page.waitForFunction(() => document.getElementById('json-input').value.includes('"model_name"'));
      await page.click('#run-json');
      await page.waitForFunction(() => /"y"/.test(document.getElementById('json-output').textContent));
      assert.deepEqual(JSON.parse(await page.locator('#json-output').innerText()), { y: [[2.5]] });
    });

    await check(`image upload to deep_image_model predicts class ${mewClass}`, async () => {
      await page.goto(`${base}/#/image?model=deep_image_model`);
      await page.waitForFunction(() => document.getElementById('image-signature').value === 'serving_default');
      await page.setInputFiles('#image-input', mewJpg);
      await page.locator('#run-image:not([disabled])').waitFor();
      await page.click('#run-image');
      const top = page.locator('#topk-table tbody tr').first();
      await top.waitFor();
      assert.equal(await top.getAttribute('data-class'), mewClass);
      const raw = JSON.parse(await page.locator('#image-output').innerText());
      assert.deepEqual(raw.prediction, mewCase.expected.prediction);
      await shot('image_deep_image_model_1280');
    });

    await check('red PNG to color_cnn shows "red" in the top-k table', async () => {
      await page.goto(`${base}/#/image?model=color_cnn`);
      await page.waitForFunction(() => document.getElementById('image-signature').value === 'serving_default');
      await page.setInputFiles('#image-input', { name: 'red.png', mimeType: 'image/png', buffer: redPng(32, 32) });
      await page.locator('#run-image:not([disabled])').waitFor();
      await page.click('#run-image');
      const top = page.locator('#topk-table tbody tr').first();
      await top.waitFor();
      assert.equal(await top.getAttribute('data-class'), 'red');
      assert.match(await page.locator('#topk-table').innerText(), /\bred\b/);
      await shot('image_color_cnn_1280');
    });

    await check('Python client for half_plus_two names the model URL', async () => {
      await page.goto(`${base}/#/client?model=half_plus_two`);
      await page.waitForFunction(() => document.getElementById('client-signature').value === 'serving_default');
      await page.selectOption('#client-language', 'python');
      await page.waitForFunction((url) => document.getElementById('client-code').textContent.includes(url),
        `${base}/v1/models/half_plus_two:predict`);
      const code = await page.locator('#client-code').innerText();
      assert.match(code, /import /);
      const download = page.waitForEvent('download');
      await page.click('[data-testid="download-client"]');
      assert.equal((await download).suggestedFilename(), 'client.py');
      await shot('client_python_1280');
    });

    const pages = [['overview', '/#/', '#model-list tr[data-model]'],
      ['model', '/#/models/iris_mlp', '[data-signature]'],
      ['json', '/#/json?model=iris_mlp', '#json-input'],
      ['image', '/#/image?model=color_cnn', '#image-drop'],
      ['client', '/#/client?model=iris_mlp&language=java', '#client-code']];
    for (const width of [375, 1280]) {
      await check(`no horizontal overflow at ${width}px`, async () => {
        await page.setViewportSize({ width, height: 800 });
        const overflowing = [];
        for (const [name, hash, ready] of pages) {
          await page.goto(`${base}${hash}`);
          await page.locator(ready).first().waitFor();
          await page.waitForLoadState('networkidle');
          const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth,
            body: document.body.scrollWidth, client: document.documentElement.clientWidth }));
          if (m.scroll > m.client || m.body > m.client) overflowing.push(`${name}: ${JSON.stringify(m)}`);
          await shot(`${name}_${width}`);
        }
        assert.deepEqual(overflowing, []);
      });
    }

    await check('assets carry ETags and answer 304', async () => {
      for (const p of ['/', '/index.html', '/dashboard/app.js', '/dashboard/app.css']) {
        const r = await fetch(`${base}${p}`);
        assert.equal(r.status, 200, p);
        const etag = r.headers.get('etag');
        assert.ok(etag, `${p} has no ETag`);
        if (p === '/' || p === '/index.html') assert.equal(r.headers.get('cache-control'), 'no-cache');
        const again = await fetch(`${base}${p}`, { headers: { 'If-None-Match': etag } });
        assert.equal(again.status, 304, p);
      }
      const gen = await fetch(`${base}/v1/models/iris_mlp/gen_client?language=java`);
      assert.equal(gen.status, 200);
      assert.match(gen.headers.get('content-disposition'), /filename="Client\.java"/);
    });

    await check('no script errors in the page', async () => {
      assert.deepEqual(pageErrors, []);
    });

    // Basic auth: a second server with --enable_auth serving one model.
    await check('basic auth guards every page and call', async () => {
      const authServer = await startServer(args.server, ['--enable_auth=true', '--auth_username=alice',
        '--auth_password=s3cret', '--model_name=half_plus_two',
        `--model_base_path=${path.resolve(args['example-models'], 'half_plus_two')}`]);
      servers.push(authServer);
      const u = authServer.url;
      for (const p of ['/', '/index.html', '/dashboard/app.js', '/v1/models', '/monitoring/prometheus/metrics',
        '/v1/models/half_plus_two/gen_json', '/v1/models/half_plus_two/gen_client?language=python']) {
        assert.equal((await fetch(`${u}${p}`)).status, 401, p);
      }
      const auth = { Authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}` };
      assert.equal((await fetch(`${u}/v1/models`, { headers: auth })).status, 200);
      const wrong = { Authorization: `Basic ${Buffer.from('alice:nope').toString('base64')}` };
      assert.equal((await fetch(`${u}/`, { headers: wrong })).status, 401);
      const authPage = await context.newPage();
      try {
        await authPage.setExtraHTTPHeaders(auth);
        await authPage.goto(`${u}/`);
        await authPage.locator('#model-list tr[data-model="half_plus_two"]').waitFor({ timeout: 30000 });
        await authPage.goto(`${u}/#/client?model=half_plus_two&language=curl`);
        await authPage.waitForFunction(() => document.getElementById('client-code').textContent.includes('alice'));
        await authPage.screenshot({ path: path.join(shots, 'auth_client_1280.png'), fullPage: true });
      } finally {
        await authPage.close();
      }
    });
  } catch (err) {
    results.push(['setup', err]);
    console.log(`FAIL setup: ${err && err.stack || err}`);
  } finally {
    if (context) await context.close().catch(() => {});
    for (const s of servers) await s.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const failed = results.filter(([, e]) => e).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
