// Parley meeting page. Plain JavaScript, no dependencies, nothing fetched from elsewhere.
//
// It speaks the Parley signaling protocol v1 over a WebSocket at /v1/rtc:
// join -> joined -> offer (the page is always the offerer) -> answer; `tracks` events make it
// add recvonly transceivers and offer again (one negotiation at a time).
//
// Mapping received tracks to participants: every recvonly m-line of the answer that the server
// fills carries `a=msid:<participantId> <trackId>`; the page maps that m-line's mid (and so its
// transceiver and the `mid` of its inbound-rtp stats) to the participant. If an answer has no
// usable msid, the page applies the server's own assignment rule to predict it: an m-line keeps
// the track it had while that track is still listed; a newly filled recvonly m-line gets the next
// remote track of its kind, in the order of the latest track list, not yet assigned.
'use strict';

(() => {
  const params = new URLSearchParams(location.search);
  const TEST = params.get('test') === '1';
  const URL_TOKEN = params.get('token');
  const GATHER_TIMEOUT_MS = 5000;
  const ANSWER_TIMEOUT_MS = 15000;
  const JOIN_TIMEOUT_MS = 15000;
  const PING_INTERVAL_MS = 20000;
  const MAX_RECONNECTS = 5;
  const MAX_RENEGOTIATION_RETRIES = 3;

  const $ = (id) => document.getElementById(id);
  const el = {
    connection: $('connection'), connectionText: $('connection-text'),
    notice: $('notice'), noticeText: $('notice-text'), noticeClose: $('notice-close'),
    joinView: $('join-view'), joinForm: $('join-form'), room: $('room'), roomField: $('room-field'),
    name: $('display-name'), micOn: $('mic-on'), cameraOn: $('camera-on'), tokenNote: $('token-note'),
    joinButton: $('join-button'),
    roomView: $('room-view'), roomTitle: $('room-title'), recording: $('recording-indicator'),
    roomMode: $('room-mode'), tiles: $('tiles'),
    micButton: $('mic-button'), cameraButton: $('camera-button'), recordButton: $('record-button'),
    settingsButton: $('settings-button'), settings: $('settings'), leaveButton: $('leave-button'),
    micSelect: $('mic-select'), cameraSelect: $('camera-select'),
    mixAudio: $('mix-audio'), tileTemplate: $('tile-template'),
  };

  // ---- State -------------------------------------------------------------------------------

  const S = {
    phase: 'idle', // idle | joining | connecting | connected | reconnecting | failed | left
    phaseDetail: '',
    ws: null,
    pc: null,
    token: null,
    claims: null,
    wantName: '',
    wantRoom: '',
    me: null,
    room: null,
    participants: new Map(), // id -> {id, identity, name}
    tracks: [], // latest list from the server, in its order
    assignments: new Map(), // mid -> {participantId, trackId, kind}
    speakers: [],
    recording: false,
    recordingFile: null,
    mic: null, // local audio MediaStreamTrack
    cam: null, // local video MediaStreamTrack
    audioTx: null, // our sending audio transceiver (receives the mix in mixed rooms)
    videoTx: null,
    audioMuted: false,
    videoMuted: false,
    wantCamera: true,
    wantMic: true,
    negotiating: 0, // generation of the session whose negotiation runs, 0 for none
    inRoom: false, // this session's join succeeded
    offerSent: false,
    negotiateAgain: false,
    renegotiationRetries: 0,
    pendingAnswer: null, // {resolve, reject, timer}
    pendingJoin: null,
    nextId: 1,
    pingTimer: null,
    reconnects: 0,
    reconnectTimer: null,
    fatal: null, // error code that ended the session (no reconnect)
    leaving: false,
    generation: 0, // increases with every session; stale callbacks compare it
    lastError: null, // {code, message}
    eventLog: [],
    mediaWarning: null,
  };

  // ---- Small helpers -----------------------------------------------------------------------

  function log(...args) {
    if (TEST) console.info('[parley]', ...args);
  }

  function decodeToken(token) {
    // Reads the claims of a JWT without verifying it (the server verifies): the page only needs
    // the room and the grants to decide what to show.
    try {
      const part = token.split('.')[1];
      const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
      const json = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
      const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
      const claims = JSON.parse(new TextDecoder().decode(bytes));
      return claims && typeof claims === 'object' ? claims : null;
    } catch (_) {
      return null;
    }
  }

  function grants() {
    const g = S.claims && Array.isArray(S.claims.grants) ? S.claims.grants : null;
    return g; // null: unknown (not a readable token); the server decides
  }

  function hasGrant(name) {
    const g = grants();
    if (g === null) return name !== 'record';
    return g.includes(name);
  }

  function mixesAudio() {
    return !!S.room && (S.room.audioMode === 'mixed' || S.room.audioMode === 'both');
  }

  function initials(name) {
    const words = String(name || '?').trim().split(/\s+/).filter(Boolean);
    const letters = words.slice(0, 2).map((w) => [...w][0].toUpperCase());
    return letters.join('') || '?';
  }

  function delay(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  // ---- Messages in words -------------------------------------------------------------------

  const ERROR_WORDS = {
    invalid_token: 'Your access token was rejected. Ask for a new meeting link.',
    token_expired: 'Your access token has expired (or is not valid yet). Ask for a new meeting link.',
    forbidden: 'You are not allowed to do that with this token.',
    room_not_found: 'This room does not exist. Check the room name, or ask the organiser to create it.',
    room_full: 'The room is full. Try again later or ask the organiser for more places.',
    draining: 'The server is shutting down for maintenance. Try again in a minute.',
    rate_limited: 'Too many attempts from this address. Wait a few seconds and try again.',
    bad_offer: 'The server could not read this browser\'s media offer.',
    unsupported_offer: 'The server does not support this browser\'s media offer.',
    already_joined: 'This connection has already joined a room.',
    not_joined: 'The page tried to talk before joining.',
    bad_request: 'The server did not understand a request from this page.',
    too_large: 'A message from this page was too large for the server.',
    internal: 'The server had an internal problem. Try again.',
    negotiation_failed: 'The browser could not agree on audio and video with the server.',
    room_closed: 'The meeting was closed by the organiser.',
    timeout: 'The server did not answer in time.',
    connection_lost: 'The connection to the server was lost.',
    media_failed: 'The media connection failed (audio and video could not get through).',
    no_token: 'This server needs an access token. Open the meeting link you were given (it contains ?token=...).',
    token_endpoint: 'Could not get an access token from the server.',
    removed: 'You were removed from the meeting.',
    ended: 'The server ended the session.',
  };

  function words(code, serverMessage) {
    const base = ERROR_WORDS[code] || 'Something went wrong.';
    if (serverMessage && !base.includes(serverMessage)) return base + ' (' + serverMessage + ')';
    return base;
  }

  function showNotice(text, kind) {
    el.noticeText.textContent = text;
    el.notice.classList.toggle('info', kind === 'info');
    el.notice.hidden = false;
  }

  function hideNotice() {
    el.notice.hidden = true;
    el.noticeText.textContent = '';
  }

  function setPhase(phase, detail) {
    S.phase = phase;
    S.phaseDetail = detail || '';
    const text = {
      idle: 'Not connected',
      joining: 'Connecting…',
      connecting: 'Connecting media…',
      connected: 'Connected',
      reconnecting: 'Reconnecting…',
      failed: 'Failed',
      left: 'Not connected',
    }[phase] || phase;
    el.connectionText.textContent = detail ? text + ': ' + detail : text;
    el.connection.dataset.phase = phase;
  }

  function fail(code, serverMessage) {
    S.lastError = { code, message: serverMessage || '' };
    const text = words(code, serverMessage);
    setPhase('failed', shortReason(code));
    showNotice(text, 'error');
  }

  function shortReason(code) {
    return {
      invalid_token: 'token rejected', token_expired: 'token expired', forbidden: 'not allowed',
      room_not_found: 'no such room', room_full: 'room full', draining: 'server shutting down',
      rate_limited: 'too many attempts', room_closed: 'meeting closed', timeout: 'no answer',
      connection_lost: 'connection lost', media_failed: 'media failed', no_token: 'token needed',
      token_endpoint: 'no token', mic_denied: 'microphone denied', removed: 'removed', ended: 'session ended',
      bad_offer: 'media offer refused', unsupported_offer: 'media not supported',
      negotiation_failed: 'media negotiation failed', internal: 'server error',
    }[code] || code;
  }

  // ---- Media ---------------------------------------------------------------------------------

  function audioConstraints(deviceId) {
    // The tests feed a WAV tone through a fake microphone; the browser's voice processing would
    // fade it to near silence, so ?test=1 turns that processing off.
    const c = TEST
      ? { echoCancellation: false, noiseSuppression: false, autoGainControl: false }
      : { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
    if (deviceId) c.deviceId = { exact: deviceId };
    return c;
  }

  function videoConstraints(deviceId) {
    const c = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24 } };
    if (deviceId) c.deviceId = { exact: deviceId };
    return c;
  }

  function mediaErrorWords(err, what) {
    const name = err && err.name;
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      return 'Access to the ' + what + ' was denied. Allow it in the browser\'s site settings and join again; you can still listen and watch.';
    }
    if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No ' + what + ' was found.';
    if (name === 'NotReadableError') return 'The ' + what + ' is in use by another program or could not be started.';
    return 'The ' + what + ' could not be started (' + (err && err.message ? err.message : String(err)) + ').';
  }

  async function acquireMedia() {
    S.mediaWarning = null;
    if (!hasGrant('publish') || (!S.wantMic && !S.wantCamera)) return;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      S.mediaWarning = 'This page is not a secure context, so the browser offers no microphone or camera. Open it over https (or on localhost).';
      return;
    }
    const problems = [];
    const denied = [];
    const isDenial = (err) => err && (err.name === 'NotAllowedError' || err.name === 'SecurityError');
    if (S.wantMic && !S.mic) {
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: audioConstraints(el.micSelect.value) });
        S.mic = stream.getAudioTracks()[0] || null;
      } catch (err) {
        if (isDenial(err)) {
          denied.push('microphone');
          S.lastError = { code: 'mic_denied', message: '' };
        } else {
          problems.push(mediaErrorWords(err, 'microphone'));
        }
      }
    }
    if (S.wantCamera && !S.cam) {
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ video: videoConstraints(el.cameraSelect.value) });
        S.cam = stream.getVideoTracks()[0] || null;
      } catch (err) {
        if (isDenial(err)) denied.push('camera');
        else problems.push(mediaErrorWords(err, 'camera'));
      }
    }
    if (denied.length) {
      problems.unshift('Access to the ' + denied.join(' and ') + ' was denied, so the others cannot ' +
        (denied.length === 2 ? 'hear or see' : denied[0] === 'microphone' ? 'hear' : 'see') + ' you. Allow it in the browser\'s site settings ' +
        '(the icon left of the address) and join again; meanwhile you can listen and watch.');
    }
    if (problems.length) S.mediaWarning = problems.join(' ');
    await listDevices();
  }

  async function listDevices() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) return;
    let devices = [];
    try {
      devices = await navigator.mediaDevices.enumerateDevices();
    } catch (_) {
      return;
    }
    fillSelect(el.micSelect, devices.filter((d) => d.kind === 'audioinput'), S.mic, 'Microphone');
    fillSelect(el.cameraSelect, devices.filter((d) => d.kind === 'videoinput'), S.cam, 'Camera');
  }

  function fillSelect(select, devices, track, fallback) {
    const current = track && track.getSettings ? track.getSettings().deviceId : select.value;
    select.replaceChildren();
    devices.forEach((d, i) => {
      const option = document.createElement('option');
      option.value = d.deviceId;
      option.textContent = d.label || fallback + ' ' + (i + 1);
      if (d.deviceId === current) option.selected = true;
      select.append(option);
    });
    select.disabled = devices.length === 0;
  }

  async function switchDevice(kind) {
    try {
      if (kind === 'audio') {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: audioConstraints(el.micSelect.value) });
        const track = stream.getAudioTracks()[0];
        track.enabled = !S.audioMuted;
        if (S.audioTx) await S.audioTx.sender.replaceTrack(track);
        if (S.mic) S.mic.stop();
        S.mic = track;
      } else {
        if (S.videoMuted) return; // picked up when the camera is turned on
        const stream = await navigator.mediaDevices.getUserMedia({ video: videoConstraints(el.cameraSelect.value) });
        const track = stream.getVideoTracks()[0];
        if (S.videoTx) await S.videoTx.sender.replaceTrack(track);
        if (S.cam) S.cam.stop();
        S.cam = track;
      }
      renderSelf();
    } catch (err) {
      showNotice(mediaErrorWords(err, kind === 'audio' ? 'microphone' : 'camera'), 'error');
    }
  }

  function stopLocalMedia() {
    if (S.mic) S.mic.stop();
    if (S.cam) S.cam.stop();
    S.mic = null;
    S.cam = null;
  }

  // ---- Signaling -----------------------------------------------------------------------------

  function send(message) {
    if (S.ws && S.ws.readyState === WebSocket.OPEN) {
      S.ws.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  function wsURL() {
    return (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/v1/rtc';
  }

  async function fetchDevToken(room, name) {
    // The development endpoint exists only while the server runs with its generated development
    // secret. 404 means a real deployment: the token must come in the URL.
    let response;
    try {
      response = await fetch('/v1/dev/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ room, name }),
        cache: 'no-store',
      });
    } catch (err) {
      throw Object.assign(new Error('token_endpoint'), { code: 'token_endpoint', detail: String(err.message || err) });
    }
    if (response.status === 404) throw Object.assign(new Error('no_token'), { code: 'no_token' });
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = null;
    }
    if (!response.ok || !body || typeof body.token !== 'string') {
      const e = body && body.error ? body.error : null;
      const code = e && ERROR_WORDS[e.code] ? e.code : 'token_endpoint';
      throw Object.assign(new Error(code), { code, detail: e ? e.message : 'HTTP ' + response.status });
    }
    return body.token;
  }

  async function startSession() {
    const generation = ++S.generation;
    S.fatal = null;
    S.leaving = false;
    S.assignments = new Map();
    S.participants = new Map();
    S.tracks = [];
    S.speakers = [];
    S.renegotiationRetries = 0;
    S.inRoom = false;

    if (!URL_TOKEN) {
      S.token = await fetchDevToken(S.wantRoom, S.wantName);
      S.claims = decodeToken(S.token);
    }
    if (generation !== S.generation) return;

    await acquireMedia();
    if (generation !== S.generation) return;

    const ws = new WebSocket(wsURL());
    S.ws = ws;
    ws.onmessage = (event) => {
      if (generation !== S.generation) return;
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      if (message && typeof message.type === 'string') onMessage(message, generation);
    };
    ws.onclose = (event) => {
      if (generation !== S.generation) return;
      onSocketClosed(event);
    };
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'timeout' })), JOIN_TIMEOUT_MS);
      ws.onopen = () => {
        clearTimeout(timer);
        resolve();
      };
      ws.onerror = () => {
        clearTimeout(timer);
        reject(Object.assign(new Error('connection_lost'), { code: 'connection_lost' }));
      };
    });
    ws.onerror = null;
    if (generation !== S.generation) return;

    const joined = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'timeout' })), JOIN_TIMEOUT_MS);
      S.pendingJoin = {
        resolve: (m) => { clearTimeout(timer); resolve(m); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      const join = { type: 'join', id: 'join-' + S.nextId++, token: S.token };
      if (S.wantName) join.name = S.wantName;
      send(join);
    });
    S.pendingJoin = null;
    if (generation !== S.generation) return;
    onJoined(joined);
    clearInterval(S.pingTimer);
    S.pingTimer = setInterval(() => send({ type: 'ping' }), PING_INTERVAL_MS);
    await setUpPeerConnection(generation);
  }

  function onMessage(m, generation) {
    S.eventLog.push(m.type);
    if (S.eventLog.length > 300) S.eventLog.shift();
    switch (m.type) {
      case 'joined':
        if (S.pendingJoin) S.pendingJoin.resolve(m);
        break;
      case 'answer':
        if (S.pendingAnswer) S.pendingAnswer.resolve(m);
        break;
      case 'error':
        onError(m);
        break;
      case 'participant_joined':
        if (m.participant && m.participant.id) {
          S.participants.set(m.participant.id, m.participant);
          renderTiles();
        }
        break;
      case 'participant_left':
        if (S.me && m.participantId === S.me.id) {
          S.fatal = m.reason === 'room_closed' ? 'room_closed' : 'removed';
          break;
        }
        S.participants.delete(m.participantId);
        for (const [mid, a] of S.assignments) if (a.participantId === m.participantId) S.assignments.delete(mid);
        S.speakers = S.speakers.filter((id) => id !== m.participantId);
        renderTiles();
        break;
      case 'tracks':
        if (Array.isArray(m.tracks)) {
          const known = new Set(S.tracks.map((t) => t.id));
          S.tracks = m.tracks.filter(validTrack);
          // A new track earns the retry budget back.
          if (S.tracks.some((t) => !known.has(t.id))) S.renegotiationRetries = 0;
          dropStaleAssignments();
          renderTiles();
          if (S.pc && needsRenegotiation()) negotiate(generation);
        }
        break;
      case 'track_muted': {
        const t = S.tracks.find((x) => x.id === m.trackId);
        if (t) t.muted = !!m.muted;
        renderTiles();
        break;
      }
      case 'active_speakers':
        S.speakers = Array.isArray(m.participantIds) ? m.participantIds.slice() : [];
        renderSpeakers();
        break;
      case 'recording_started':
        S.recording = true;
        S.recordingFile = m.file || null;
        renderRecording();
        break;
      case 'recording_stopped':
        S.recording = false;
        renderRecording();
        break;
      case 'room_closed':
        S.fatal = 'room_closed';
        break;
      case 'draining':
        // The meeting may go on until the server stops; after that, no reconnect loop against it.
        S.fatal = 'draining';
        showNotice('The server is shutting down for maintenance: the meeting ends when it stops.', 'error');
        break;
      default:
        break; // pong and anything newer
    }
  }

  function onError(m) {
    const code = typeof m.code === 'string' ? m.code : 'internal';
    const error = Object.assign(new Error(code), { code, detail: m.message || '' });
    if (S.pendingJoin) {
      S.pendingJoin.reject(error);
      return;
    }
    if (S.pendingAnswer && (code === 'bad_offer' || code === 'unsupported_offer' || (m.id !== undefined && m.id === S.pendingAnswer.id))) {
      S.pendingAnswer.reject(error);
      return;
    }
    if (m.fatal) {
      S.fatal = code;
      S.lastError = { code, message: m.message || '' };
      showNotice(words(code, m.message), 'error');
      return;
    }
    S.lastError = { code, message: m.message || '' };
    showNotice(words(code, m.message), 'error');
  }

  function onSocketClosed(event) {
    clearInterval(S.pingTimer);
    const error = Object.assign(new Error('connection_lost'), { code: 'connection_lost' });
    if (S.pendingAnswer) S.pendingAnswer.reject(error);
    if (S.pendingJoin || !S.inRoom) {
      // Not joined yet: the join attempt fails and onStartFailed decides what comes next.
      if (S.pendingJoin) S.pendingJoin.reject(error);
      return;
    }
    if (S.leaving) return;
    // 1008 token/forbidden, 1009 too large, 1013 try again later, 4400 malformed JSON: the
    // server told us why already (an error frame); reconnecting would not help.
    if (S.fatal || [1000, 1008, 1009, 1013, 4400].includes(event.code)) {
      const code = S.fatal || (event.code === 1000 ? 'ended' : closeCodeReason(event.code));
      const message = S.lastError && S.lastError.code === code ? S.lastError.message : event.reason;
      endSession(code, message);
      return;
    }
    if (S.me) scheduleReconnect('connection to the server lost');
    else endSession('connection_lost', event.reason);
  }

  function endSession(code, message) {
    S.generation++;
    teardownMedia();
    stopLocalMedia();
    S.me = null;
    S.participants = new Map();
    S.tracks = [];
    showJoin();
    fail(code, message);
  }

  function closeCodeReason(code) {
    return { 1008: 'forbidden', 1009: 'too_large', 1013: 'rate_limited', 4400: 'bad_request' }[code] || 'connection_lost';
  }

  function onJoined(m) {
    S.inRoom = true;
    S.me = m.participant;
    S.room = m.room || { name: S.wantRoom, audioMode: 'forwarded', recording: false };
    S.participants = new Map();
    for (const p of m.participants || []) if (p && p.id) S.participants.set(p.id, p);
    if (S.me) S.participants.set(S.me.id, S.me);
    S.tracks = (m.tracks || []).filter(validTrack);
    S.recording = !!S.room.recording;
    S.reconnects = 0;
    showRoom();
  }

  function validTrack(t) {
    return t && typeof t.id === 'string' && typeof t.participantId === 'string' && (t.kind === 'audio' || t.kind === 'video');
  }

  // ---- Peer connection and negotiation -------------------------------------------------------

  async function setUpPeerConnection(generation) {
    const pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    S.pc = pc;
    pc.onconnectionstatechange = () => {
      if (generation !== S.generation) return;
      onConnectionState(pc.connectionState);
    };
    pc.onicecandidate = (event) => {
      // Candidates found after the offer left (gathering was slow) are trickled.
      if (generation !== S.generation || !S.offerSent) return;
      const c = event.candidate;
      send({ type: 'candidate', candidate: c ? c.candidate : '', sdpMid: c ? c.sdpMid : undefined });
    };
    pc.ontrack = () => {
      if (generation === S.generation) bindRemoteMedia();
    };

    const publish = hasGrant('publish');
    // In mixed rooms the first audio m-line is sendrecv: it receives the room's mix.
    if (mixesAudio() || (publish && S.mic)) {
      const direction = mixesAudio() ? 'sendrecv' : 'sendonly';
      S.audioTx = pc.addTransceiver(publish && S.mic ? S.mic : 'audio', { direction: publish ? direction : 'recvonly' });
      if (S.mic) S.mic.enabled = !S.audioMuted;
    }
    if (publish && S.cam) {
      S.videoTx = pc.addTransceiver(S.cam, { direction: 'sendonly' });
    }
    renderSelf();
    renderControls();
    if (pc.getTransceivers().length === 0 && !needsRenegotiation()) {
      setPhase('connected', 'waiting for others');
      return;
    }
    setPhase('connecting');
    await negotiate(generation);
    // After a reconnect the server knows a fresh participant: tell it the microphone is muted.
    if (generation === S.generation && S.mic && S.audioMuted) send({ type: 'mute', kind: 'audio', muted: true });
  }

  function onConnectionState(state) {
    if (state === 'connected') {
      setPhase('connected');
      if (S.lastError && S.lastError.code === 'media_failed') hideNotice();
    } else if (state === 'disconnected') {
      setPhase('reconnecting', 'network interrupted');
    } else if (state === 'failed') {
      S.lastError = { code: 'media_failed', message: '' };
      scheduleReconnect('media connection failed');
    } else if (state === 'connecting' && S.phase !== 'reconnecting') {
      setPhase('connecting');
    }
  }

  function receivingKinds() {
    return mixesAudio() ? ['video'] : ['audio', 'video'];
  }

  function remoteTracks(kind) {
    const mine = S.me ? S.me.id : null;
    return S.tracks.filter((t) => t.kind === kind && t.participantId !== mine);
  }

  function recvTransceivers(kind) {
    if (!S.pc) return [];
    return S.pc.getTransceivers().filter((tx) =>
      tx !== S.audioTx && tx !== S.videoTx && !tx.stopped && tx.receiver.track.kind === kind);
  }

  function dropStaleAssignments() {
    const live = new Set(S.tracks.map((t) => t.id));
    for (const [mid, a] of S.assignments) if (!live.has(a.trackId)) S.assignments.delete(mid);
  }

  function unassignedTracks(kind) {
    const assigned = new Set([...S.assignments.values()].map((a) => a.trackId));
    return remoteTracks(kind).filter((t) => !assigned.has(t.id));
  }

  // `freshOnly`: count only transceivers never offered as free (the server did not fill the
  // m-lines answered inactive last time, so do not count on them).
  function missingTransceivers(kind, freshOnly) {
    const unassigned = unassignedTracks(kind).length;
    const free = recvTransceivers(kind).filter((tx) => tx.mid === null || (!freshOnly && !S.assignments.has(tx.mid))).length;
    return { unassigned, free };
  }

  function needsRenegotiation() {
    return receivingKinds().some((kind) => missingTransceivers(kind).unassigned > 0);
  }

  // One negotiation at a time. `force` is for local changes (a new sending m-line); otherwise a
  // negotiation runs while remote tracks are not assigned to any of our m-lines.
  async function negotiate(generation, force) {
    // `negotiating` holds the session generation: a negotiation of a session being torn down
    // (still waiting on a timer) does not block the next session's.
    if (S.negotiating === generation) {
      // The running negotiation looks again when its answer is applied.
      if (force) S.negotiateAgain = true;
      return;
    }
    S.negotiating = generation;
    try {
      let freshOnly = false;
      for (let round = 0; round < 10; round++) {
        S.negotiateAgain = false;
        if (generation !== S.generation || !S.pc) return;
        const offeredFor = new Set(S.tracks.map((t) => t.id));
        await negotiateOnce(generation, freshOnly);
        if (S.negotiateAgain) continue;
        if (!needsRenegotiation()) break;
        // Tracks are still unassigned: new ones arrived meanwhile, or the server left some out
        // (our rule says it refills freed m-lines; if it did not, offer brand-new ones). Offer
        // again, a bounded number of times.
        if (S.renegotiationRetries >= MAX_RENEGOTIATION_RETRIES) break;
        S.renegotiationRetries++;
        freshOnly = receivingKinds().some((kind) => unassignedTracks(kind).some((t) => offeredFor.has(t.id)));
      }
    } catch (err) {
      if (generation !== S.generation) return;
      // Our errors carry a protocol code; the browser's own (a DOMException from
      // setRemoteDescription, say) do not.
      const code = err && typeof err.code === 'string' ? err.code : 'negotiation_failed';
      const detail = (err && (err.detail || err.message)) || '';
      log('negotiation failed', code, detail);
      const pc = S.pc;
      if (pc && pc.signalingState === 'have-local-offer') {
        // Back to stable, so that a later negotiation starts from the last agreed state.
        try {
          await pc.setLocalDescription({ type: 'rollback' });
        } catch (_) { /* closed meanwhile */ }
      }
      if (code === 'connection_lost') return; // the socket handler decides
      S.lastError = { code, message: detail };
      showNotice(words(code, detail), 'error');
      if (S.phase !== 'connected') setPhase('failed', shortReason(code));
    } finally {
      if (S.negotiating === generation) S.negotiating = 0;
    }
  }

  async function negotiateOnce(generation, freshOnly) {
    const pc = S.pc;
    for (const kind of receivingKinds()) {
      const { unassigned, free } = missingTransceivers(kind, freshOnly);
      for (let i = free; i < unassigned; i++) pc.addTransceiver(kind, { direction: 'recvonly' });
    }
    S.offerSent = false;
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await gatheringComplete(pc);
    if (generation !== S.generation) return;
    const id = 'offer-' + S.nextId++;
    const answer = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        S.pendingAnswer = null;
        reject(Object.assign(new Error('timeout'), { code: 'timeout' }));
      }, ANSWER_TIMEOUT_MS);
      S.pendingAnswer = {
        id,
        resolve: (m) => { clearTimeout(timer); S.pendingAnswer = null; resolve(m); },
        reject: (e) => { clearTimeout(timer); S.pendingAnswer = null; reject(e); },
      };
      if (!send({ type: 'offer', id, sdp: pc.localDescription.sdp })) {
        S.pendingAnswer.reject(Object.assign(new Error('connection_lost'), { code: 'connection_lost' }));
      }
      S.offerSent = true;
    });
    if (generation !== S.generation) return;
    if (typeof answer.sdp !== 'string') throw Object.assign(new Error('bad_answer'), { code: 'internal', detail: 'answer without sdp' });
    await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    assignFromAnswer(answer.sdp);
    bindRemoteMedia();
    renderTiles();
  }

  function gatheringComplete(pc) {
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, GATHER_TIMEOUT_MS);
      function done() {
        clearTimeout(timer);
        pc.removeEventListener('icegatheringstatechange', check);
        resolve();
      }
      function check() {
        if (pc.iceGatheringState === 'complete') done();
      }
      pc.addEventListener('icegatheringstatechange', check);
    });
  }

  function parseSections(sdp) {
    const sections = [];
    let current = null;
    for (const raw of sdp.split(/\r?\n/)) {
      const line = raw.trim();
      if (line.startsWith('m=')) {
        const parts = line.slice(2).split(' ');
        current = { kind: parts[0], port: parts[1], mid: null, direction: 'sendrecv', msid: null };
        sections.push(current);
      } else if (!current) {
        continue;
      } else if (line.startsWith('a=mid:')) {
        current.mid = line.slice(6);
      } else if (/^a=(sendrecv|sendonly|recvonly|inactive)$/.test(line)) {
        current.direction = line.slice(2);
      } else if (line.startsWith('a=msid:')) {
        const [stream, track] = line.slice(7).split(/\s+/);
        current.msid = { stream, track };
      } else if (!current.msid && /^a=ssrc:\d+ msid:/.test(line)) {
        const [stream, track] = line.replace(/^a=ssrc:\d+ msid:/, '').split(/\s+/);
        current.msid = { stream, track };
      }
    }
    return sections;
  }

  function assignFromAnswer(sdp) {
    const sections = parseSections(sdp);
    const ours = new Set(receivingKinds().flatMap(recvTransceivers).map((tx) => tx.mid).filter((m) => m !== null));
    const previous = S.assignments;
    const next = new Map();
    const byId = new Map(S.tracks.map((t) => [t.id, t]));
    const waiting = [];
    for (const section of sections) {
      if (!ours.has(section.mid)) continue;
      const sending = section.port !== '0' && (section.direction === 'sendonly' || section.direction === 'sendrecv');
      if (!sending) continue;
      const m = section.msid;
      const t = m ? byId.get(m.track) : null;
      if (t && t.kind === section.kind) {
        next.set(section.mid, { participantId: t.participantId, trackId: t.id, kind: t.kind });
      } else if (m && m.stream && m.stream !== '-' && S.participants.has(m.stream)) {
        next.set(section.mid, { participantId: m.stream, trackId: m.track || '', kind: section.kind });
      } else {
        waiting.push(section);
      }
    }
    // No usable msid: apply the server's rule (sticky, then list order).
    const taken = new Set([...next.values()].map((a) => a.trackId));
    for (const section of waiting.slice()) {
      const before = previous.get(section.mid);
      if (before && byId.has(before.trackId) && !taken.has(before.trackId)) {
        next.set(section.mid, before);
        taken.add(before.trackId);
        waiting.splice(waiting.indexOf(section), 1);
      }
    }
    for (const section of waiting) {
      const t = remoteTracks(section.kind).find((x) => !taken.has(x.id));
      if (!t) continue;
      next.set(section.mid, { participantId: t.participantId, trackId: t.id, kind: t.kind });
      taken.add(t.id);
    }
    S.assignments = next;
  }

  // ---- Rendering -----------------------------------------------------------------------------

  const tiles = new Map(); // participantId -> {li, video, audio, name, avatar, videoTrack, audioTrack}

  function showRoom() {
    el.joinView.hidden = true;
    el.roomView.hidden = false;
    el.roomTitle.textContent = 'Room ' + (S.room.name || S.wantRoom);
    el.roomMode.textContent = mixesAudio() ? 'Mixed audio' : '';
    renderTiles();
    renderRecording();
    renderControls();
    if (S.mediaWarning) showNotice(S.mediaWarning, 'error');
    else hideNotice();
    el.micButton.focus();
  }

  function showJoin() {
    el.roomView.hidden = true;
    el.joinView.hidden = false;
    el.joinButton.disabled = false;
    for (const id of [...tiles.keys()]) removeTile(id);
  }

  function tileFor(participant) {
    let tile = tiles.get(participant.id);
    if (tile) return tile;
    const li = el.tileTemplate.content.firstElementChild.cloneNode(true);
    li.dataset.participantId = participant.id;
    tile = {
      li,
      video: li.querySelector('video'),
      audio: li.querySelector('audio'),
      name: li.querySelector('.name'),
      avatar: li.querySelector('.avatar'),
      videoTrack: null,
      audioTrack: null,
    };
    tiles.set(participant.id, tile);
    el.tiles.append(li);
    return tile;
  }

  function removeTile(id) {
    const tile = tiles.get(id);
    if (!tile) return;
    tile.video.srcObject = null;
    tile.audio.srcObject = null;
    tile.li.remove();
    tiles.delete(id);
  }

  function renderTiles() {
    if (!S.me) return;
    for (const id of [...tiles.keys()]) if (!S.participants.has(id)) removeTile(id);
    // Own tile first, then the others in the order they joined.
    const ordered = [S.me, ...[...S.participants.values()].filter((p) => p.id !== S.me.id)];
    for (const p of ordered) {
      const tile = tileFor(p);
      const self = p.id === S.me.id;
      const display = (p.name || p.identity || p.id) + (self ? ' (you)' : '');
      tile.name.textContent = display;
      tile.li.setAttribute('aria-label', display);
      tile.avatar.textContent = initials(p.name || p.identity || p.id);
      tile.li.classList.toggle('self', self);
      el.tiles.append(tile.li); // keeps the order stable
    }
    renderSelf();
    bindRemoteMedia();
    renderSpeakers();
  }

  function renderSelf() {
    if (!S.me) return;
    const tile = tiles.get(S.me.id);
    if (!tile) return;
    const camera = S.cam && !S.videoMuted && S.cam.readyState === 'live' ? S.cam : null;
    setTrack(tile, 'video', camera);
    tile.li.classList.toggle('no-video', !camera);
    tile.li.classList.toggle('audio-muted', !S.mic || S.audioMuted);
  }

  function setTrack(tile, kind, track) {
    const key = kind === 'video' ? 'videoTrack' : 'audioTrack';
    if (tile[key] === track) return;
    tile[key] = track;
    const element = kind === 'video' ? tile.video : tile.audio;
    element.srcObject = track ? new MediaStream([track]) : null;
    if (track) element.play().catch(() => {});
  }

  const watchedTracks = new WeakSet();
  let rebindQueued = false;

  function watchTrack(track) {
    // A received track is muted until its first packets arrive (and again when they stop): the
    // tile shows the initials instead of a black picture meanwhile.
    if (watchedTracks.has(track)) return;
    watchedTracks.add(track);
    const rebind = () => {
      if (rebindQueued) return;
      rebindQueued = true;
      setTimeout(() => { rebindQueued = false; bindRemoteMedia(); }, 0);
    };
    track.addEventListener('mute', rebind);
    track.addEventListener('unmute', rebind);
  }

  function bindRemoteMedia() {
    if (!S.pc || !S.me) return;
    const byMid = new Map(S.pc.getTransceivers().filter((tx) => tx.mid !== null).map((tx) => [tx.mid, tx]));
    const wanted = new Map(); // participantId -> {video, audio}
    for (const [mid, a] of S.assignments) {
      const tx = byMid.get(mid);
      if (!tx) continue;
      const w = wanted.get(a.participantId) || {};
      if (!w[a.kind]) w[a.kind] = { track: tx.receiver.track, trackId: a.trackId };
      watchTrack(tx.receiver.track);
      wanted.set(a.participantId, w);
    }
    for (const [id, tile] of tiles) {
      if (id === S.me.id) continue;
      const w = wanted.get(id) || {};
      const listed = (kind) => S.tracks.find((t) => t.participantId === id && t.kind === kind);
      const video = listed('video');
      const audio = listed('audio');
      const videoShown = w.video && !w.video.track.muted && !(video && video.muted) ? w.video.track : null;
      setTrack(tile, 'video', w.video ? w.video.track : null);
      setTrack(tile, 'audio', w.audio ? w.audio.track : null);
      tile.li.classList.toggle('no-video', !videoShown);
      tile.li.classList.toggle('audio-muted', !audio || audio.muted);
    }
    // Mixed rooms: the sendrecv audio m-line carries the mix.
    const mixTrack = mixesAudio() && S.audioTx && S.audioTx.mid !== null ? S.audioTx.receiver.track : null;
    const current = el.mixAudio.srcObject ? el.mixAudio.srcObject.getAudioTracks()[0] : null;
    if (current !== mixTrack) {
      el.mixAudio.srcObject = mixTrack ? new MediaStream([mixTrack]) : null;
      if (mixTrack) el.mixAudio.play().catch(() => {});
    }
  }

  function renderSpeakers() {
    const speaking = new Set(S.speakers);
    for (const [id, tile] of tiles) tile.li.classList.toggle('speaking', speaking.has(id));
  }

  function renderRecording() {
    el.recording.hidden = !S.recording;
    el.recording.title = S.recording && S.recordingFile ? 'Recording to ' + S.recordingFile : '';
    const label = el.recordButton.querySelector('.label');
    label.textContent = S.recording ? 'Stop recording' : 'Start recording';
    el.recordButton.classList.toggle('recording-on', S.recording);
  }

  function renderControls() {
    const publish = hasGrant('publish');
    el.micButton.disabled = !S.mic;
    // The label says what a press does (no aria-pressed as well: "Unmute, pressed" confuses).
    el.micButton.classList.toggle('off', S.audioMuted || !S.mic);
    el.micButton.querySelector('.label').textContent = !S.mic ? 'No microphone' : S.audioMuted ? 'Unmute microphone' : 'Mute microphone';
    el.cameraButton.disabled = !publish || !navigator.mediaDevices;
    const cameraOff = S.videoMuted || !S.videoTx;
    el.cameraButton.classList.toggle('off', cameraOff);
    el.cameraButton.querySelector('.label').textContent = cameraOff ? 'Turn camera on' : 'Turn camera off';
    el.recordButton.hidden = !hasGrant('record');
  }

  // ---- Actions -------------------------------------------------------------------------------

  function setAudioMuted(muted) {
    if (!S.mic) return;
    S.audioMuted = muted;
    // enabled=false keeps the packets flowing with silence: the receivers' levels drop at once
    // and unmuting needs no renegotiation.
    S.mic.enabled = !muted;
    send({ type: 'mute', kind: 'audio', muted });
    renderSelf();
    renderControls();
  }

  async function setVideoMuted(muted) {
    if (!S.pc) return;
    if (muted) {
      S.videoMuted = true;
      if (S.videoTx) await S.videoTx.sender.replaceTrack(null);
      if (S.cam) S.cam.stop(); // the camera light goes off
      S.cam = null;
      send({ type: 'mute', kind: 'video', muted: true });
    } else {
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ video: videoConstraints(el.cameraSelect.value) });
        S.cam = stream.getVideoTracks()[0];
      } catch (err) {
        showNotice(mediaErrorWords(err, 'camera'), 'error');
        return;
      }
      S.videoMuted = false;
      if (S.videoTx) {
        await S.videoTx.sender.replaceTrack(S.cam);
        send({ type: 'mute', kind: 'video', muted: false });
      } else {
        // Joined without a camera: publishing one needs a new m-line, so offer again.
        S.videoTx = S.pc.addTransceiver(S.cam, { direction: 'sendonly' });
        negotiate(S.generation, true);
      }
      listDevices();
    }
    renderSelf();
    renderControls();
  }

  function toggleRecording() {
    send({ type: S.recording ? 'stop_recording' : 'start_recording' });
  }

  function teardownMedia() {
    clearInterval(S.pingTimer);
    if (S.pc) {
      S.pc.onconnectionstatechange = null;
      S.pc.close();
    }
    S.pc = null;
    S.audioTx = null;
    S.videoTx = null;
    S.assignments = new Map();
    el.mixAudio.srcObject = null;
  }

  function leave() {
    S.leaving = true;
    clearTimeout(S.reconnectTimer);
    send({ type: 'leave' });
    const ws = S.ws;
    // The server closes with 1000 after `leave`; close ourselves if it does not within a second.
    if (ws) setTimeout(() => { if (ws.readyState !== WebSocket.CLOSED) ws.close(1000); }, 1000);
    S.generation++;
    teardownMedia();
    stopLocalMedia();
    S.me = null;
    S.participants = new Map();
    S.tracks = [];
    S.audioMuted = false;
    S.videoMuted = false;
    setPhase('left');
    showJoin();
    showNotice('You left the meeting.', 'info');
    (el.roomField.hidden || el.room.readOnly ? el.name : el.room).focus();
  }

  function scheduleReconnect(reason) {
    if (S.leaving || S.fatal) return;
    teardownMedia();
    if (S.ws && S.ws.readyState === WebSocket.OPEN) S.ws.close(1000);
    S.generation++;
    if (S.reconnects >= MAX_RECONNECTS) {
      endSession('connection_lost', reason);
      return;
    }
    S.reconnects++;
    const wait = Math.min(8000, 1000 * 2 ** (S.reconnects - 1));
    setPhase('reconnecting', reason + ', attempt ' + S.reconnects + ' of ' + MAX_RECONNECTS);
    clearTimeout(S.reconnectTimer);
    S.reconnectTimer = setTimeout(() => {
      startSession().catch(onStartFailed);
    }, wait);
  }

  function onStartFailed(err) {
    const code = err && err.code ? err.code : 'internal';
    log('join failed', code, err && err.detail);
    if (S.leaving) return;
    // While reconnecting, a server that is not reachable yet (restarting) is worth another try.
    const unreachable = code === 'connection_lost' || code === 'timeout' || code === 'token_endpoint';
    if (S.phase === 'reconnecting' && unreachable && S.reconnects < MAX_RECONNECTS) {
      scheduleReconnect('server unreachable');
      return;
    }
    S.generation++;
    if (S.ws && S.ws.readyState <= WebSocket.OPEN) S.ws.close(1000);
    teardownMedia();
    S.me = null;
    showJoin();
    fail(code, err && err.detail);
  }

  function validRoomName(name) {
    return /^[A-Za-z0-9._-]{1,128}$/.test(name);
  }

  async function onJoinSubmit(event) {
    event.preventDefault();
    hideNotice();
    const room = el.room.value.trim();
    const name = el.name.value.trim();
    if (!URL_TOKEN && !validRoomName(room)) {
      el.room.setAttribute('aria-invalid', 'true');
      showNotice('Enter a room name: letters, digits, dots, dashes and underscores, up to 128.', 'error');
      el.room.focus();
      return;
    }
    el.room.removeAttribute('aria-invalid');
    if (!name) {
      el.name.setAttribute('aria-invalid', 'true');
      showNotice('Enter your name so the others know who you are.', 'error');
      el.name.focus();
      return;
    }
    el.name.removeAttribute('aria-invalid');
    try {
      localStorage.setItem('parley.name', name);
    } catch (_) { /* private mode */ }
    S.wantRoom = room;
    S.wantName = name;
    S.wantMic = el.micOn.checked;
    S.wantCamera = el.cameraOn.checked;
    S.reconnects = 0;
    S.lastError = null;
    el.joinButton.disabled = true;
    setPhase('joining');
    try {
      await startSession();
    } catch (err) {
      onStartFailed(err);
    }
  }

  // ---- Wiring --------------------------------------------------------------------------------

  function init() {
    if (URL_TOKEN) {
      S.token = URL_TOKEN;
      S.claims = decodeToken(URL_TOKEN);
      const room = S.claims && typeof S.claims.room === 'string' ? S.claims.room : '';
      el.room.value = room;
      el.room.readOnly = true;
      // The room comes from the token: nothing to type there.
      el.roomField.hidden = !room;
      el.room.removeAttribute('aria-describedby');
      $('room-hint').hidden = true;
      el.tokenNote.textContent = room
        ? 'Your meeting link is for room ' + room + '.'
        : 'Your meeting link carries a token; the server will check it.';
      el.tokenNote.hidden = false;
      if (S.claims && typeof S.claims.name === 'string') el.name.value = S.claims.name;
    } else {
      const room = params.get('room');
      if (room) el.room.value = room;
    }
    if (!el.name.value) {
      try {
        el.name.value = localStorage.getItem('parley.name') || '';
      } catch (_) { /* private mode */ }
    }
    el.joinForm.addEventListener('submit', onJoinSubmit);
    el.noticeClose.addEventListener('click', hideNotice);
    el.micButton.addEventListener('click', () => setAudioMuted(!S.audioMuted));
    el.cameraButton.addEventListener('click', () => setVideoMuted(!(S.videoMuted || !S.videoTx)));
    el.recordButton.addEventListener('click', toggleRecording);
    el.leaveButton.addEventListener('click', leave);
    el.settingsButton.addEventListener('click', () => {
      const open = el.settings.hidden;
      el.settings.hidden = !open;
      el.settingsButton.setAttribute('aria-expanded', String(open));
      if (open) listDevices();
    });
    el.micSelect.addEventListener('change', () => switchDevice('audio'));
    el.cameraSelect.addEventListener('change', () => switchDevice('video'));
    window.addEventListener('pagehide', () => {
      if (S.me) send({ type: 'leave' });
    });
    setPhase('idle');
    if (!el.room.value && !el.roomField.hidden) el.room.focus();
    else el.name.focus();
    if (TEST) installTestHooks();
  }

  // ---- Test hooks (only with ?test=1) --------------------------------------------------------

  function installTestHooks() {
    window.parleyTest = {
      state() {
        return {
          phase: S.phase,
          phaseDetail: S.phaseDetail,
          connectionText: el.connectionText.textContent,
          me: S.me,
          room: S.room,
          participants: [...S.participants.values()],
          tracks: S.tracks,
          assignments: Object.fromEntries(S.assignments),
          speakers: S.speakers,
          recording: S.recording,
          lastError: S.lastError,
          notice: el.notice.hidden ? null : el.noticeText.textContent,
          tiles: [...el.tiles.querySelectorAll('.tile')].map((li) => ({
            participantId: li.dataset.participantId,
            name: li.querySelector('.name').textContent,
            speaking: li.classList.contains('speaking'),
            video: !li.classList.contains('no-video'),
            audioMuted: li.classList.contains('audio-muted'),
          })),
          pcState: S.pc ? S.pc.connectionState : null,
          events: S.eventLog.slice(-50),
        };
      },
      async stats() {
        if (!S.pc) return { pcState: null, inbound: [], outbound: [] };
        const report = await S.pc.getStats();
        const inbound = [];
        const outbound = [];
        report.forEach((s) => {
          if (s.type === 'inbound-rtp') {
            const a = s.mid !== undefined ? S.assignments.get(s.mid) : null;
            const mix = S.audioTx && s.mid === S.audioTx.mid;
            inbound.push({
              kind: s.kind, mid: s.mid, ssrc: s.ssrc,
              participantId: a ? a.participantId : (mix ? 'mix' : null),
              trackId: a ? a.trackId : null,
              packetsReceived: s.packetsReceived || 0, packetsLost: s.packetsLost || 0,
              bytesReceived: s.bytesReceived || 0, jitter: s.jitter,
              audioLevel: s.audioLevel, totalAudioEnergy: s.totalAudioEnergy,
              totalSamplesDuration: s.totalSamplesDuration,
              framesDecoded: s.framesDecoded || 0, framesReceived: s.framesReceived || 0,
              frameWidth: s.frameWidth, frameHeight: s.frameHeight,
            });
          } else if (s.type === 'outbound-rtp') {
            outbound.push({ kind: s.kind, mid: s.mid, packetsSent: s.packetsSent || 0, bytesSent: s.bytesSent || 0, framesEncoded: s.framesEncoded });
          }
        });
        return { pcState: S.pc.connectionState, inbound, outbound };
      },
      // The loudest frequency (Hz) of what a tile plays ('mix': the room's mix), measured with an
      // AnalyserNode over `ms` milliseconds: the tests give every fake microphone its own tone,
      // so this shows that a received track is mapped to the right participant.
      async frequency(participantId, ms) {
        let track = null;
        if (participantId === 'mix') {
          track = S.audioTx && S.audioTx.mid !== null ? S.audioTx.receiver.track : null;
        } else {
          const tile = tiles.get(participantId);
          track = tile ? tile.audioTrack : null;
        }
        if (!track) return null;
        const ctx = new AudioContext();
        try {
          const source = ctx.createMediaStreamSource(new MediaStream([track]));
          const analyser = ctx.createAnalyser();
          analyser.fftSize = 8192;
          analyser.smoothingTimeConstant = 0;
          source.connect(analyser);
          await delay(ms || 500);
          const data = new Float32Array(analyser.frequencyBinCount);
          analyser.getFloatFrequencyData(data);
          let best = 1;
          for (let i = 1; i < data.length; i++) if (data[i] > data[best]) best = i;
          return { frequency: (best * ctx.sampleRate) / analyser.fftSize, db: data[best] };
        } finally {
          ctx.close();
        }
      },
      join(room, name, options) {
        const o = options || {};
        if (room !== undefined && room !== null && !el.room.readOnly) el.room.value = room;
        el.name.value = name;
        el.micOn.checked = o.mic !== false;
        el.cameraOn.checked = o.camera !== false;
        el.joinForm.requestSubmit();
        return true;
      },
      mute(kind, muted) {
        if (kind === 'audio') setAudioMuted(!!muted);
        else return setVideoMuted(!!muted).then(() => true);
        return true;
      },
      leave() {
        leave();
        return true;
      },
      record() {
        toggleRecording();
        return true;
      },
    };
  }

  init();
})();
