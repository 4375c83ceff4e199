// Intake console: uploads through the bach.art batch-upload API of this server and follows each
// batch's Server-Sent Events. The API key stays in sessionStorage (this tab); recent batch ids and
// counts stay in localStorage under a hash of the key. Every request goes to this origin only.
'use strict';

(() => {
	const API = '/v1/batch-upload';
	const MAX_FILES_PER_BATCH = 300;
	const SUBMIT_ATTEMPTS = 4;
	const MAX_EVENT_BUFFER = 16 * 1024 * 1024;
	const RECENT_LIMIT = 50;
	const KEY_STORE = 'intake.console.key';
	const RECENT_STORE = 'intake.console.recent.';
	const EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'gif', 'bmp', 'webp', 'svg', 'ico', 'tif', 'tiff', 'zip']);
	const SKIPPED_SILENTLY = /^(\.DS_Store|Thumbs\.db|desktop\.ini|\._.*)$/i;
	const BATCH_ID = /^[A-Za-z0-9._-]{1,64}$/;

	const $ = (id) => document.getElementById(id);

	/** The files to upload, in order: {file, path}. */
	let selection = [];
	/** The batch on screen: {id, controller, items: Map<index, {status, element}>, last}. */
	let shown = null;
	/** localStorage key of this API key's recent batches; null until a key is set. */
	let recentStore = null;

	// ---------- small helpers ----------

	function el(tag, attributes, ...children) {
		const node = document.createElement(tag);
		for (const [name, value] of Object.entries(attributes || {})) {
			if (name === 'text') {
				node.textContent = value;
			}
			else if (value !== undefined && value !== null && value !== false) {
				node.setAttribute(name, value === true ? '' : String(value));
			}
		}
		children.filter(Boolean).forEach((child) => node.append(child));
		return node;
	}

	function showMessage(text) {
		const box = $('message');
		box.textContent = text;
		box.hidden = !text;
	}

	function announce(text) {
		const region = $('announce');
		region.textContent = '';
		window.setTimeout(() => { region.textContent = text; }, 50);
	}

	function sleep(millis, signal) {
		return new Promise((resolve) => {
			const timer = window.setTimeout(resolve, millis);
			if (signal) {
				signal.addEventListener('abort', () => { window.clearTimeout(timer); resolve(); }, { once: true });
			}
		});
	}

	function apiKey() {
		return sessionStorage.getItem(KEY_STORE) || '';
	}

	function randomId() {
		if (window.crypto && crypto.randomUUID) {
			return crypto.randomUUID();
		}
		const bytes = crypto.getRandomValues(new Uint8Array(16));
		return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
	}

	function extensionOf(name) {
		const dot = name.lastIndexOf('.');
		return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
	}

	function humanSize(bytes) {
		if (bytes < 1024) {
			return bytes + ' B';
		}
		if (bytes < 1024 * 1024) {
			return (bytes / 1024).toFixed(1) + ' KB';
		}
		return (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 2 : 1) + ' MB';
	}

	/** The API's own error text: "message (HTTP 409, code 1205)". */
	function problem(answer) {
		if (answer.network) {
			return 'The server could not be reached. Check the connection and try again.';
		}
		const body = answer.json;
		if (body && typeof body.message === 'string') {
			return body.message + ' (HTTP ' + answer.status + (body.code ? ', code ' + body.code : '') + ')';
		}
		return 'The server answered HTTP ' + answer.status + '.';
	}

	async function call(method, path) {
		try {
			const response = await fetch(path, {
				method,
				headers: { Authorization: 'Bearer ' + apiKey(), Accept: 'application/json' },
				cache: 'no-store',
				credentials: 'omit',
				redirect: 'error',
			});
			let json = null;
			try {
				json = await response.json();
			}
			catch (ignored) {
				json = null;
			}
			return { status: response.status, ok: response.ok, json, retryAfter: response.headers.get('Retry-After') };
		}
		catch (error) {
			return { status: 0, ok: false, json: null, network: true };
		}
	}

	async function copy(text, what) {
		try {
			if (navigator.clipboard && window.isSecureContext) {
				await navigator.clipboard.writeText(text);
			}
			else {
				const area = el('textarea', { readonly: true, class: 'visually-hidden' });
				area.value = text;
				document.body.append(area);
				area.select();
				document.execCommand('copy');
				area.remove();
			}
			announce('Copied ' + what + '.');
		}
		catch (error) {
			window.prompt('Copy ' + what + ':', text);
		}
	}

	// ---------- the API key ----------

	async function fingerprint(key) {
		if (window.crypto && crypto.subtle) {
			const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
			return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
		}
		return 'this-browser';
	}

	async function useKey(key) {
		if (!key) {
			recentStore = null;
			$('key-state').textContent = 'No key set: paste one to upload or open batches.';
			$('forget-key').hidden = true;
			renderRecent();
			return;
		}
		recentStore = RECENT_STORE + await fingerprint(key);
		$('forget-key').hidden = false;
		renderRecent();
		// a look-up of an id no batch has tells a refused key (401/403) from an accepted one (404)
		const answer = await call('GET', API + '/status/console-key-check-' + randomId().slice(0, 8));
		if (answer.status === 401) {
			$('key-state').textContent = 'This key is not accepted: ' + problem(answer);
		}
		else if (answer.status === 403) {
			$('key-state').textContent = 'This key may not read batches, so their progress cannot be shown: '
				+ problem(answer);
		}
		else if (answer.network) {
			$('key-state').textContent = 'Key set for this tab; the server could not be reached to check it.';
		}
		else {
			$('key-state').textContent = 'Key set for this tab and accepted by the server.';
		}
	}

	// ---------- choosing files ----------

	function addFiles(found) {
		const skipped = [];
		for (const { file, path } of found) {
			if (SKIPPED_SILENTLY.test(file.name)) {
				continue;
			}
			if (!EXTENSIONS.has(extensionOf(file.name))) {
				skipped.push(path);
				continue;
			}
			selection.push({ file, path });
		}
		const note = $('skipped');
		note.hidden = skipped.length === 0;
		note.textContent = skipped.length === 0 ? ''
			: 'Left out ' + skipped.length + ' file(s) that are neither images nor ZIP archives: '
				+ skipped.slice(0, 10).join(', ') + (skipped.length > 10 ? ', …' : '') + '.';
		renderSelection();
	}

	function renderSelection() {
		const list = $('file-list');
		list.replaceChildren(...selection.slice(0, 1000).map(({ file, path }) =>
			el('li', { text: path + ' (' + humanSize(file.size) + ')' })));
		if (selection.length > 1000) {
			list.append(el('li', { text: '… and ' + (selection.length - 1000) + ' more' }));
		}
		const bytes = selection.reduce((sum, { file }) => sum + file.size, 0);
		const batches = Math.ceil(selection.length / MAX_FILES_PER_BATCH);
		$('selection').hidden = selection.length === 0;
		$('selection-summary').textContent = selection.length + ' file(s) selected, ' + humanSize(bytes)
			+ (batches > 1 ? '; they will be sent as ' + batches + ' batches of at most ' + MAX_FILES_PER_BATCH : '')
			+ '.';
	}

	function fromInput(input) {
		addFiles(Array.from(input.files, (file) => ({ file, path: file.webkitRelativePath || file.name })));
		input.value = '';
	}

	function fileOf(entry) {
		return new Promise((resolve, reject) => entry.file(resolve, reject));
	}

	function entriesOf(reader) {
		return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
	}

	async function walk(entry, found) {
		if (entry.isFile) {
			found.push({ file: await fileOf(entry), path: entry.fullPath.replace(/^\//, '') });
		}
		else if (entry.isDirectory) {
			const reader = entry.createReader();
			for (let batch = await entriesOf(reader); batch.length > 0; batch = await entriesOf(reader)) {
				for (const child of batch) {
					await walk(child, found);
				}
			}
		}
	}

	async function fromDrop(transfer) {
		// entries must be taken while the drop event runs; folders are read afterwards
		const entries = [];
		const found = [];
		const items = Array.from(transfer.items || []);
		for (const item of items) {
			if (item.kind !== 'file') {
				continue;
			}
			const entry = item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
			if (entry) {
				entries.push(entry);
			}
			else {
				const file = item.getAsFile();
				if (file) {
					found.push({ file, path: file.name });
				}
			}
		}
		if (items.length === 0) {
			Array.from(transfer.files || []).forEach((file) => found.push({ file, path: file.name }));
		}
		try {
			for (const entry of entries) {
				await walk(entry, found);
			}
		}
		catch (error) {
			showMessage('A dropped folder could not be read: ' + error.message);
		}
		addFiles(found);
	}

	// ---------- submitting ----------

	function names() {
		const text = $('names').value;
		return text.trim() === '' ? [] : text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
	}

	function send(form, idempotencyKey, onProgress) {
		return new Promise((resolve) => {
			const request = new XMLHttpRequest();
			request.open('POST', API + '/submit-with-files');
			request.setRequestHeader('Authorization', 'Bearer ' + apiKey());
			request.setRequestHeader('Idempotency-Key', idempotencyKey);
			request.setRequestHeader('Accept', 'application/json');
			request.upload.onprogress = (event) => {
				if (event.lengthComputable) {
					onProgress(event.loaded, event.total);
				}
			};
			request.onload = () => {
				let json = null;
				try {
					json = JSON.parse(request.responseText);
				}
				catch (ignored) {
					json = null;
				}
				resolve({ status: request.status, ok: request.status >= 200 && request.status < 300, json,
					retryAfter: request.getResponseHeader('Retry-After') });
			};
			request.onerror = () => resolve({ status: 0, ok: false, json: null, network: true });
			request.send(form);
		});
	}

	/** Sends one batch; a lost connection, 429 or 503 is sent again with the same Idempotency-Key. */
	async function submitBatch(files, batchNames, batchId, label) {
		const idempotencyKey = 'console-' + randomId();
		for (let attempt = 1; ; attempt++) {
			const form = new FormData();
			if (batchId) {
				form.append('batch_id', batchId);
			}
			batchNames.forEach((name) => form.append('image_names', name));
			files.forEach(({ file }) => form.append('files', file, file.name));
			$('upload-label').textContent = label + ': sending';
			const answer = await send(form, idempotencyKey, (loaded, total) => {
				$('upload-progress').max = total;
				$('upload-progress').value = loaded;
				$('upload-label').textContent = label + ': sent ' + humanSize(loaded) + ' of ' + humanSize(total);
			});
			const transient = answer.network || answer.status === 429 || answer.status === 503;
			if (answer.ok || !transient || attempt >= SUBMIT_ATTEMPTS) {
				return answer;
			}
			const wait = Math.min(10, Number(answer.retryAfter) || attempt) * 1000;
			$('upload-label').textContent = label + ': ' + problem(answer) + ' Sending again shortly.';
			await sleep(wait);
		}
	}

	async function upload(event) {
		event.preventDefault();
		showMessage('');
		if (!apiKey()) {
			showMessage('Paste an API key first.');
			$('api-key').focus();
			return;
		}
		if (selection.length === 0) {
			showMessage('Choose or drop at least one image, folder or ZIP archive.');
			$('pick-files').focus();
			return;
		}
		const given = names();
		if (given.length > 0 && given.length !== selection.length) {
			showMessage('There are ' + given.length + ' names for ' + selection.length
				+ ' files: give one name per file, or none.');
			$('names').focus();
			return;
		}
		const chunks = [];
		for (let start = 0; start < selection.length; start += MAX_FILES_PER_BATCH) {
			chunks.push(start);
		}
		const base = $('batch-id').value.trim();
		const ids = chunks.map((start, n) => (base === '' ? null : chunks.length > 1 ? base + '-' + (n + 1) : base));
		const invalid = ids.find((id) => id !== null && (!BATCH_ID.test(id) || id === '.' || id === '..'));
		if (invalid !== undefined) {
			showMessage('The batch id must be 1 to 64 characters: letters, digits, \'.\', \'_\' or \'-\''
				+ (chunks.length > 1 ? ', leaving room for the suffix -' + chunks.length : '') + '.');
			$('batch-id').focus();
			return;
		}
		const button = $('upload');
		button.disabled = true;
		$('upload-state').hidden = false;
		const accepted = [];
		try {
			for (let n = 0; n < chunks.length; n++) {
				const start = chunks[n];
				const files = selection.slice(start, start + MAX_FILES_PER_BATCH);
				const batchNames = given.slice(start, start + MAX_FILES_PER_BATCH);
				const label = chunks.length > 1 ? 'Batch ' + (n + 1) + ' of ' + chunks.length : 'Batch';
				const answer = await submitBatch(files, batchNames, ids[n], label);
				if (!answer.ok || !answer.json || !answer.json.data) {
					showMessage((chunks.length > 1 ? 'Batch ' + (n + 1) + ' of ' + chunks.length + ' was refused: ' : 'Refused: ')
						+ problem(answer) + (accepted.length > 0 ? ' The batches before it were accepted: '
							+ accepted.join(', ') + '.' : ' Nothing was queued.'));
					break;
				}
				const data = answer.json.data;
				accepted.push(data.batch_id);
				remember({ id: data.batch_id, total: data.total_count, status: data.status });
				if (n === 0) {
					openBatch(data.batch_id);
				}
			}
		}
		finally {
			button.disabled = false;
			$('upload-state').hidden = true;
		}
		if (accepted.length > 0) {
			announce('Accepted ' + accepted.length + ' batch(es): ' + accepted.join(', ') + '.');
			// what was accepted leaves the selection, so pressing Upload again sends only the rest
			const sent = Math.min(selection.length, accepted.length * MAX_FILES_PER_BATCH);
			selection = selection.slice(sent);
			$('names').value = given.slice(sent).join('\n');
			if (selection.length > 0) {
				showMessage($('message').textContent + ' The other ' + selection.length
					+ ' file(s) stay selected: press Upload to send them'
					+ (base === '' ? '.' : ' (under a new batch id, or none).'));
			}
			else {
				$('batch-id').value = '';
			}
			renderSelection();
		}
	}

	// ---------- recent batches ----------

	function recent() {
		if (!recentStore) {
			return [];
		}
		try {
			const list = JSON.parse(localStorage.getItem(recentStore) || '[]');
			return Array.isArray(list) ? list.filter((entry) => entry && typeof entry.id === 'string') : [];
		}
		catch (ignored) {
			return [];
		}
	}

	function remember(update) {
		if (!recentStore) {
			return;
		}
		const list = recent();
		const known = list.find((entry) => entry.id === update.id);
		const entry = Object.assign(known || { at: new Date().toISOString() }, update);
		const rest = list.filter((other) => other.id !== update.id);
		const next = known ? list.map((other) => (other.id === update.id ? entry : other)) : [entry, ...rest];
		localStorage.setItem(recentStore, JSON.stringify(next.slice(0, RECENT_LIMIT)));
		renderRecent();
	}

	function describe(entry) {
		const parts = [];
		if (typeof entry.total === 'number') {
			parts.push(entry.total + ' item(s)');
		}
		if (typeof entry.stored === 'number') {
			parts.push(entry.stored + ' stored');
		}
		if (typeof entry.failed === 'number') {
			parts.push(entry.failed + ' failed');
		}
		if (entry.status) {
			parts.push(entry.status === 'TASK_SUCCEEDED' ? 'finished' : 'in progress');
		}
		if (entry.at) {
			parts.push('submitted ' + new Date(entry.at).toLocaleString());
		}
		return parts.join(', ');
	}

	function renderRecent() {
		const list = recent();
		$('recent').replaceChildren(...list.map((entry) => el('li', {},
			el('button', { type: 'button', class: 'small', 'data-batch': entry.id, 'aria-label': 'Open batch ' + entry.id,
				text: entry.id }),
			el('span', { class: 'summary', text: describe(entry) }))));
		if (list.length === 0) {
			$('recent').append(el('li', { class: 'hint', text: recentStore ? 'None yet.' : 'Set a key to see them.' }));
		}
		$('clear-recent').hidden = list.length === 0;
	}

	// ---------- one batch: live status ----------

	function openBatch(id) {
		if (shown) {
			shown.controller.abort();
		}
		showMessage('');
		shown = { id, controller: new AbortController(), items: new Map(), last: null };
		history.replaceState(null, '', '#batch=' + encodeURIComponent(id));
		$('batch-section').hidden = false;
		$('batch-title').textContent = id;
		$('batch-state').textContent = 'Connecting…';
		$('retry-state').textContent = '';
		$('failures').replaceChildren();
		$('thumbs').replaceChildren();
		$('failed-heading').hidden = true;
		['count-total', 'count-processed', 'count-stored', 'count-failed'].forEach((name) => { $(name).textContent = '0'; });
		$('batch-progress').value = 0;
		$('batch-wait').hidden = true;
		$('batch-wait').replaceChildren();
		$('retry').disabled = true;
		$('copy-all').disabled = true;
		follow(shown);
	}

	/** One Server-Sent Event block to {event, data}; comments (heartbeats) give null. */
	function parseEvent(block) {
		let name = 'message';
		const data = [];
		for (const line of block.split(/\r\n|\r|\n/)) {
			if (line === '' || line.startsWith(':')) {
				continue;
			}
			const colon = line.indexOf(':');
			const field = colon < 0 ? line : line.slice(0, colon);
			let value = colon < 0 ? '' : line.slice(colon + 1);
			if (value.startsWith(' ')) {
				value = value.slice(1);
			}
			if (field === 'event') {
				name = value;
			}
			else if (field === 'data') {
				data.push(value);
			}
		}
		return data.length === 0 ? null : { event: name, data: data.join('\n') };
	}

	/**
	 * Follows the batch's events route with fetch (EventSource cannot send the Authorization
	 * header): renders each status event, reconnects with back-off when the stream ends early,
	 * stops at TASK_SUCCEEDED, at a 4xx, or when another batch is opened.
	 */
	async function follow(batch) {
		const signal = batch.controller.signal;
		let delay = 500;
		while (!signal.aborted) {
			let finished = false;
			try {
				const response = await fetch(API + '/status/' + encodeURIComponent(batch.id) + '/events', {
					headers: { Authorization: 'Bearer ' + apiKey(), Accept: 'text/event-stream' },
					cache: 'no-store',
					credentials: 'omit',
					redirect: 'error',
					signal,
				});
				if (!response.ok) {
					let json = null;
					try {
						json = await response.json();
					}
					catch (ignored) {
						json = null;
					}
					const answer = { status: response.status, json };
					if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
						$('batch-state').textContent = 'This batch cannot be shown: ' + problem(answer);
						return;
					}
					throw new Error(problem(answer));
				}
				const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
				let buffer = '';
				while (!finished) {
					const { value, done } = await reader.read();
					if (done) {
						break;
					}
					buffer += value;
					if (buffer.length > MAX_EVENT_BUFFER) {
						throw new Error('An event was larger than this page accepts.');
					}
					for (let end = buffer.search(/\r\n\r\n|\n\n|\r\r/); end >= 0; end = buffer.search(/\r\n\r\n|\n\n|\r\r/)) {
						const block = buffer.slice(0, end);
						buffer = buffer.slice(end + (buffer.startsWith('\r\n\r\n', end) ? 4 : 2));
						const event = parseEvent(block);
						if (event && event.event === 'status') {
							const status = JSON.parse(event.data);
							render(batch, status);
							delay = 500;
							if (status.status === 'TASK_SUCCEEDED') {
								finished = true;
								break;
							}
						}
					}
				}
				if (finished) {
					reader.cancel().catch(() => {});
					return;
				}
			}
			catch (error) {
				if (signal.aborted) {
					return;
				}
				$('batch-state').textContent = 'Live progress interrupted (' + error.message + '); reconnecting…';
			}
			await sleep(delay, signal);
			delay = Math.min(delay * 2, 10000);
		}
	}

	function thumbnailOf(item) {
		const renditions = (item.image && Array.isArray(item.image.renditions)) ? item.image.renditions : [];
		const thumb = renditions.find((rendition) => rendition.name === 'thumb')
			|| renditions.slice().sort((a, b) => (a.width || 0) - (b.width || 0))[0];
		return thumb && thumb.url ? thumb.url : item.image_url;
	}

	/** An http(s) URL as given, or null: nothing else becomes a link or an image source. */
	function webUrl(value) {
		try {
			const url = new URL(value, window.location.href);
			return (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
		}
		catch (ignored) {
			return null;
		}
	}

	function copyButton(url, name) {
		const button = el('button', { type: 'button', class: 'small', 'aria-label': 'Copy URL of ' + name, text: 'Copy URL' });
		button.addEventListener('click', () => copy(url, 'the URL of ' + name));
		return button;
	}

	function storedItem(item) {
		const name = item.image_name || ('item ' + item.index);
		const image = item.image || {};
		const size = [image.width && image.height ? image.width + '×' + image.height : null,
			image.format || null, typeof image.size === 'number' ? humanSize(image.size) : null].filter(Boolean).join(' · ');
		const link = el('a', { href: webUrl(item.image_url), target: '_blank', rel: 'noopener noreferrer', class: 'frame' },
			el('img', { src: webUrl(thumbnailOf(item)), alt: name, loading: 'lazy', decoding: 'async' }));
		return el('li', { 'data-index': item.index, 'data-status': 'stored' },
			link,
			el('span', { class: 'name', text: name }),
			size ? el('span', { class: 'meta', text: size }) : null,
			copyButton(item.image_url, name));
	}

	function failedItem(item) {
		const name = item.image_name || ('item ' + item.index);
		const from = item.archive ? ' (from ' + item.archive + (item.entry ? ', entry ' + item.entry : '') + ')' : '';
		return el('li', { 'data-index': item.index, 'data-status': 'failed' },
			el('span', { class: 'name', text: name + from }),
			el('p', { class: 'reason', text: item.error_message || 'Failed without a reason given.' }),
			item.error_code ? el('span', { class: 'code', text: item.error_code }) : null);
	}

	/** A duration from now, roughly, as a person says it: "about 40 s", "about 3 min", "about 2 h". */
	function roughly(seconds) {
		if (seconds < 90) {
			return 'about ' + Math.max(1, Math.round(seconds)) + ' s';
		}
		if (seconds < 90 * 60) {
			return 'about ' + Math.round(seconds / 60) + ' min';
		}
		return 'about ' + Math.round(seconds / 3600) + ' h';
	}

	/**
	 * Where an unfinished batch waits, from the extension fields of its status: the jobs queued
	 * ahead of it and when it should be done; hidden once it is finished or when the server could
	 * not tell.
	 */
	function renderWait(data, done) {
		const line = $('batch-wait');
		const ahead = Number.isInteger(data.queued_ahead) && data.queued_ahead >= 0 ? data.queued_ahead : null;
		const until = typeof data.estimated_completion === 'string' ? new Date(data.estimated_completion) : null;
		const known = until !== null && !Number.isNaN(until.getTime());
		if (done || (ahead === null && !known)) {
			line.hidden = true;
			line.replaceChildren();
			return;
		}
		const children = [];
		if (ahead !== null) {
			children.push(ahead === 0 ? 'No items queued ahead' : ahead + (ahead === 1 ? ' item' : ' items') + ' queued ahead');
		}
		if (known) {
			const seconds = (until.getTime() - Date.now()) / 1000;
			const clock = until.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
			children.push((ahead !== null ? ' · ' : '') + (seconds <= 0 ? 'done any moment now' : 'done in ' + roughly(seconds))
				+ ' (around ', el('time', { datetime: until.toISOString(), text: clock }), ')');
		}
		line.replaceChildren(...children);
		line.hidden = false;
	}

	function render(batch, data) {
		if (batch !== shown) {
			return;
		}
		batch.last = data;
		const total = data.total_count || 0;
		const processed = data.processed_count || 0;
		$('count-total').textContent = String(total);
		$('count-processed').textContent = String(processed);
		$('count-stored').textContent = String(data.success_count || 0);
		$('count-failed').textContent = String(data.failed_count || 0);
		$('batch-progress').max = Math.max(total, 1);
		$('batch-progress').value = processed;
		const done = data.status === 'TASK_SUCCEEDED';
		$('batch-state').textContent = done
			? 'Finished: ' + (data.success_count || 0) + ' stored, ' + (data.failed_count || 0) + ' failed.'
			: (processed === 0 ? 'Waiting to be processed: ' : 'Processing: ') + processed + ' of ' + total + ' finished.';
		renderWait(data, done);
		for (const item of Array.isArray(data.results) ? data.results : []) {
			const state = item.status === 'TASK_SUCCEEDED' ? 'stored' : item.status === 'TASK_FAILED' ? 'failed' : null;
			const known = batch.items.get(item.index);
			if (state === null || (known && known.state === state)) {
				continue;
			}
			if (known) {
				known.element.remove();
			}
			const element = state === 'stored' ? storedItem(item) : failedItem(item);
			(state === 'stored' ? $('thumbs') : $('failures')).append(element);
			batch.items.set(item.index, { state, element, url: item.image_url });
		}
		$('failed-heading').hidden = $('failures').children.length === 0;
		$('retry').disabled = !(done && (data.failed_count || 0) > 0);
		$('copy-all').disabled = !Array.from(batch.items.values()).some((item) => item.state === 'stored');
		remember({ id: batch.id, total, stored: data.success_count || 0, failed: data.failed_count || 0, status: data.status });
	}

	async function retry() {
		if (!shown) {
			return;
		}
		const batch = shown;
		$('retry').disabled = true;
		$('retry-state').textContent = 'Asking the server to retry the failed items…';
		const answer = await call('POST', API + '/' + encodeURIComponent(batch.id) + '/retry');
		if (batch !== shown) {
			return;
		}
		if (answer.ok && answer.json && answer.json.data) {
			const data = answer.json.data;
			$('retry-state').textContent = 'Retrying ' + data.retry_count + ' failed item(s), round ' + data.retry_round + '.';
			batch.controller.abort();
			const again = { id: batch.id, controller: new AbortController(), items: batch.items, last: batch.last };
			shown = again;
			follow(again);
		}
		else {
			$('retry-state').textContent = 'Not retried: ' + problem(answer);
			$('retry').disabled = !(batch.last && batch.last.status === 'TASK_SUCCEEDED' && batch.last.failed_count > 0);
		}
	}

	function copyAll() {
		if (!shown) {
			return;
		}
		const urls = Array.from(shown.items.values()).filter((item) => item.state === 'stored').map((item) => item.url);
		copy(urls.join('\n'), urls.length + ' URL(s)');
	}

	// ---------- wiring ----------

	function batchInLocation() {
		const match = /^#batch=(.+)$/.exec(window.location.hash);
		if (!match) {
			return null;
		}
		try {
			return decodeURIComponent(match[1]);
		}
		catch (ignored) {
			return null;
		}
	}

	function start() {
		$('key-form').addEventListener('submit', (event) => {
			event.preventDefault();
			const key = $('api-key').value.trim();
			$('api-key').value = '';
			if (key) {
				sessionStorage.setItem(KEY_STORE, key);
			}
			useKey(apiKey());
		});
		$('forget-key').addEventListener('click', () => {
			sessionStorage.removeItem(KEY_STORE);
			if (shown) {
				shown.controller.abort();
				shown = null;
			}
			$('batch-section').hidden = true;
			useKey('');
			$('api-key').focus();
		});
		$('pick-files').addEventListener('change', (event) => fromInput(event.target));
		$('pick-folder').addEventListener('change', (event) => fromInput(event.target));
		$('clear-files').addEventListener('click', () => {
			selection = [];
			$('skipped').hidden = true;
			renderSelection();
			$('pick-files').focus();
		});
		const zone = $('drop-zone');
		zone.addEventListener('dragover', (event) => {
			event.preventDefault();
			event.dataTransfer.dropEffect = 'copy';
			zone.classList.add('over');
		});
		zone.addEventListener('dragleave', () => zone.classList.remove('over'));
		zone.addEventListener('drop', (event) => {
			event.preventDefault();
			zone.classList.remove('over');
			fromDrop(event.dataTransfer);
		});
		// a file dropped beside the zone must not make the browser navigate to it
		window.addEventListener('dragover', (event) => event.preventDefault());
		window.addEventListener('drop', (event) => event.preventDefault());
		$('upload-form').addEventListener('submit', upload);
		$('retry').addEventListener('click', retry);
		$('copy-all').addEventListener('click', copyAll);
		$('recent').addEventListener('click', (event) => {
			const button = event.target.closest('button[data-batch]');
			if (button) {
				openBatch(button.getAttribute('data-batch'));
				$('batch-heading').scrollIntoView();
			}
		});
		$('clear-recent').addEventListener('click', () => {
			if (recentStore) {
				localStorage.removeItem(recentStore);
			}
			renderRecent();
		});
		useKey(apiKey()).then(() => {
			const id = batchInLocation();
			if (id && apiKey()) {
				openBatch(id);
			}
		});
	}

	start();
})();
