/* A small WHEP player for camera tiles: H.264 only, a watchdog on decoded frames, paused when unseen.
 * Wall pages use it through camera-grid.js, on the dashboard's own /whep/<camera> route.
 *
 *   const p = new CctvWhepPlayer(videoElement, location.origin + "/whep/cam1?stream=sub",
 *                                {onState: (state) => ...});   // "connecting" | "live" | "stalled"
 *   p.start(); p.setUrl(otherUrl); p.stop();
 *   cctvSnapshotUnderVideo(img, video)   // the img shows the pushed snapshot only while not live
 *
 * The gateway relays the camera's own H.264 without re-encoding, so the browser must accept H.264:
 * the offer lists nothing else. Decoded frames are read from getStats(); when they stop growing the
 * tile says STALLED and, if they do not resume, the player reconnects by itself, waiting longer after
 * each attempt that brought no picture (up to 10 s).
 */
(function () {
  "use strict";
  const STALL_MS = 2000;      // no new decoded frame for this long: stalled
  const RECONNECT_MS = 6000;  // still nothing: hang up and connect again
  const ICE_WAIT_MS = 1500;   // the gateway takes one offer with its candidates (no trickle)
  const SNAPSHOT_WAIT_MS = 2500;  // a player live by then never shows (so never loads) a snapshot

  function h264Only(transceiver) {
    if (!transceiver.setCodecPreferences || !window.RTCRtpReceiver || !RTCRtpReceiver.getCapabilities) return;
    const codecs = RTCRtpReceiver.getCapabilities("video").codecs;
    const h264 = codecs.filter((c) => c.mimeType === "video/H264");
    const rtx = codecs.filter((c) => c.mimeType === "video/rtx");
    if (h264.length) transceiver.setCodecPreferences(h264.concat(rtx));
  }

  function gathered(pc) {
    if (pc.iceGatheringState === "complete") return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { if (pc.iceGatheringState === "complete") resolve(); };
      pc.addEventListener("icegatheringstatechange", done);
      setTimeout(resolve, ICE_WAIT_MS);
    });
  }

  class CctvWhepPlayer {
    constructor(video, url, options) {
      this.video = video;
      this.url = url;
      this.onState = (options && options.onState) || function () {};
      this.pc = null;
      this.location = null;
      this.state = "idle";
      this.framesDecoded = 0;
      this.lastProgress = 0;
      this.failures = 0;
      this.wanted = false;
      this.timer = null;
      this.generation = 0;
      video.muted = true;
      video.playsInline = true;
      video.autoplay = true;
      // One stream per player for its whole life, its track swapped at each connection: each new
      // srcObject would give the element a new media player, and Chromium keeps the old ones.
      this.stream = new MediaStream();
    }

    setState(state) {
      if (state !== this.state) { this.state = state; this.onState(state); }
    }

    start() {
      this.wanted = true;
      if (!this.pc) this.connect();
      if (!this.timer) this.timer = setInterval(() => this.watch(), 500);
    }

    stop() {
      this.wanted = false;
      clearInterval(this.timer);
      this.timer = null;
      this.hangUp();
      // Let go of the track too: a hidden tile (a playlist's other screen) must not keep its
      // decoder alive for weeks. A reconnect (hangUp alone) keeps it until the next track comes.
      this.dropTracks();
      this.setState("idle");
    }

    dropTracks() {
      this.stream.getTracks().forEach((track) => { track.stop(); this.stream.removeTrack(track); });
    }

    setUrl(url) {
      if (url === this.url) return;
      this.url = url;
      if (this.wanted) { this.hangUp(); this.connect(); }
    }

    hangUp() {
      this.generation += 1;
      if (this.location) {
        // Read the (empty) answer: Chromium keeps a fetch whose body nobody reads pending, with its
        // loader and streams, for the life of the page; a wall hangs up a few times a minute.
        fetch(new URL(this.location, this.url).href, {method: "DELETE"})
          .then((response) => response.arrayBuffer()).catch(() => {});
        this.location = null;
      }
      if (this.pc) { this.pc.close(); this.pc = null; }
    }

    async connect() {
      const generation = ++this.generation;
      this.setState("connecting");
      const pc = this.pc = new RTCPeerConnection();
      h264Only(pc.addTransceiver("video", {direction: "recvonly"}));
      pc.ontrack = (event) => {
        this.dropTracks();
        this.stream.addTrack(event.track);
        if (this.video.srcObject !== this.stream) this.video.srcObject = this.stream;
        this.video.play().catch(() => {});
      };
      pc.onconnectionstatechange = () => {
        if (pc.connectionState === "failed" && generation === this.generation) this.retryLater();
      };
      try {
        await pc.setLocalDescription(await pc.createOffer());
        await gathered(pc);
        const response = await fetch(this.url, {method: "POST", headers: {"Content-Type": "application/sdp"},
                                                body: pc.localDescription.sdp});
        const answer = await response.text();  // read even a refusal: an unread body stays pending
        if (response.status !== 201) throw new Error("gateway answered " + response.status);
        if (generation !== this.generation) return;
        this.location = response.headers.get("Location");
        await pc.setRemoteDescription({type: "answer", sdp: answer});
        this.framesDecoded = 0;
        this.lastProgress = Date.now();
      } catch (err) {
        console.warn("cctv: " + this.url.replace(/\?.*/, "") + ": " + err);
        if (generation === this.generation) this.retryLater();
      }
    }

    retryLater() {
      this.hangUp();
      this.failures += 1;
      this.setState("stalled");
      const delay = Math.min(10000, 500 * Math.pow(2, this.failures - 1));
      const generation = this.generation;
      setTimeout(() => { if (this.wanted && generation === this.generation) this.connect(); }, delay);
    }

    async watch() {
      const pc = this.pc;
      if (!pc || !this.wanted) return;
      let decoded = this.framesDecoded;
      try {
        const stats = await pc.getStats();
        stats.forEach((s) => { if (s.type === "inbound-rtp" && s.kind === "video") decoded = s.framesDecoded || 0; });
      } catch (err) { return; }
      const now = Date.now();
      if (decoded > this.framesDecoded) {
        this.framesDecoded = decoded;
        this.lastProgress = now;
        this.failures = 0;
        this.setState("live");
      } else if (now - this.lastProgress > RECONNECT_MS) {
        // A camera that answers but sends no picture: connect again, with the same growing
        // pause as a failed connection, so a frozen camera is not asked every 6 s for weeks.
        this.retryLater();
      } else if (now - this.lastProgress > STALL_MS && this.state !== "connecting") {
        this.setState("stalled");
      }
    }
  }

  /* Plays a tile only while it is on screen (and the page is visible): decoding unseen video
   * costs the wall PC's CPU for nothing. */
  function playWhileVisible(element, player) {
    let onScreen = true;
    const apply = () => (onScreen && !document.hidden ? player.start() : player.stop());
    if (window.IntersectionObserver) {
      new IntersectionObserver((entries) => { onScreen = entries[0].isIntersecting; apply(); }).observe(element);
    }
    document.addEventListener("visibilitychange", apply);
    apply();
  }

  /* The snapshot under a player's video: the server pushes the newest picture's address as the img's
   * `data-snapshot`; the img loads it only while the video does not play (connecting, stalled), and
   * only once the player has had SNAPSHOT_WAIT_MS to connect. Under live video it holds no picture.
   * Why: Chromium keeps each decoded picture for a long while; a wall that loaded a new snapshot
   * every few seconds behind its video grew by hundreds of MB an hour (in a playlist wall's soak test), and a
   * playlist would load one per camera each time its camera screen came back.
   * An idle (unseen) player's picture waits until it is wanted. Returns what onState calls. */
  function snapshotUnderVideo(img, video) {
    let timer = null;
    const apply = () => {
      const state = video.dataset.player;
      const wanted = state === "live" ? "" : img.dataset.snapshot || "";
      if (state === "idle" && wanted) return;
      if (!wanted) {
        if (img.hasAttribute("src")) img.removeAttribute("src");
      } else if (img.getAttribute("src") !== wanted) {
        img.src = wanted;
      }
    };
    const update = () => {
      if (video.dataset.player === "live" || img.hasAttribute("src")) {
        clearTimeout(timer);
        timer = null;
        apply();
      } else if (timer === null) {  // a newer address meanwhile must not push the wait back
        timer = setTimeout(() => { timer = null; apply(); }, SNAPSHOT_WAIT_MS);
      }
    };
    new MutationObserver(update).observe(img, {attributes: true, attributeFilter: ["data-snapshot"]});
    return update;
  }

  window.CctvWhepPlayer = CctvWhepPlayer;
  window.cctvPlayWhileVisible = playWhileVisible;
  window.cctvSnapshotUnderVideo = snapshotUnderVideo;
})();
