/**
 * VideoAnnotator front end: keyframed box tracks on the frames of a video, temporal segments
 * on its timeline.
 *
 * The kernel holds the video and decodes frames on demand; this view asks for the frames
 * around its playhead (more ahead while playing, js/video/frames.ts) and draws the nearest
 * frame it has until the one due arrives. The frame the widget opened on comes with the state
 * (`poster`). Gestures run here at frame rate (js/video/stage.ts, js/video/timebar.ts); a
 * finished gesture crosses once, as one change of one record (js/video/edits.ts through
 * js/lib/sync.ts). The current frame is synced both ways (`frame`).
 */
import type { AnyModel, RenderProps } from "@anywidget/types";
import "./video.css";
import { el, messageBar } from "./lib/dom";
import { type Rect, type View, fitView } from "./lib/geometry";
import { installKeyScope } from "./lib/keys";
import { editorFor, newId } from "./lib/sync";
import { drawStage } from "./video/draw";
import { VideoEdits } from "./video/edits";
import { FrameStore, Outstanding, framesAround, prefetchAhead, requestWidth, serves } from "./video/frames";
import { videoKeyHandler } from "./video/keys";
import { PlaybackClock } from "./video/playback";
import { StageGestures, hitBox } from "./video/stage";
import { Timebar } from "./video/timebar";
import { VideoToolbar } from "./video/toolbar";
import { type FrameBox, boxAt, boxesAt, carryPoints, keyframeFrames, neighbourKeyframe, trackProblem } from "./video/tracks";
import { withPanel } from "./session/panel";

interface VideoModel {
  labels: string[];
  label: string;
  keypoint_labels: string[];
  skeleton: [string, string][];
  frame: number;
  num_frames: number;
  fps: number;
  width: number;
  height: number;
  bad_frames: number[];
  poster: DataView | null;
  poster_frame: number;
  poster_mime: string;
  video_id: number;
  error: string;
  [key: string]: unknown;
}

interface FrameReply {
  type: string;
  id?: number;
  view?: string;
  video_id?: number;
  index?: number;
  mime?: string;
  bad?: boolean;
  message?: string;
  proposals?: unknown[];
  frames?: FrameItem[];
  track_id?: string;
  count?: number;
}

interface FrameItem {
  index: number;
  mime?: string;
  bad?: boolean;
  buffer?: number | null;
  width?: number;
  message?: string;
}

/** Frames kept decoded in the browser: this many pixels (about 120 frames of 720p). */
const MAX_PIXELS = 110e6;
/** Frames asked for and not answered, at most: about this many seconds of playback. */
const IN_FLIGHT_SECONDS = 0.8;
const PAUSED_IN_FLIGHT = 6;
const BATCH = 6;
const SYNC_WHILE_PLAYING_MS = 250;
const TRACK_COUNT = 30;

function render({ model, el: host }: RenderProps<VideoModel>): () => void {
  const editor = editorFor(model as unknown as AnyModel, ["tracks", "segments", "proposals"]);
  const get = <K extends keyof VideoModel>(key: K): VideoModel[K] => model.get(key);
  const numFrames = () => Math.max(0, get("num_frames") ?? 0);
  const fps = () => (get("fps") > 0 ? get("fps") : 30);
  const imageSize = () => ({ width: Math.max(1, get("width")), height: Math.max(1, get("height")) });
  const edits = new VideoEdits(editor, numFrames);
  const token = newId();

  // -- DOM -------------------------------------------------------------------------------------
  const root = el("div", { className: "nba-root nba-video", attrs: { tabindex: "0" } });
  const stageCanvas = el("canvas", { className: "nba-video-canvas" });
  const stage = el("div", { className: "nba-video-stage" }, [stageCanvas]);
  const timeCanvas = el("canvas", { className: "nba-video-timeline" });
  const toolbar = new VideoToolbar({
    chooseLabel, step: (n) => goTo(current + n), togglePlay, setSpeed: (s) => clock.setSpeed(s, performance.now()),
    toggleOutside, toggleOccluded, remove, split, merge, track: runTracker, accept, reject,
    zoom: (f) => timebar.zoom(f), fit: () => timebar.fit(), undo: () => editor.undo(), redo: () => editor.redo(),
  });
  root.append(toolbar.labelsRow, toolbar.transport, stage, timeCanvas, toolbar.actionsRow);
  host.append(root);
  const messages = messageBar(root);

  // -- state -----------------------------------------------------------------------------------
  let current = Math.min(Math.max(0, get("frame") ?? 0), Math.max(0, numFrames() - 1));
  let shownFrame = -1;
  let selected: string | null = null;
  let selectedSegment: string | null = null;
  let merging = false;
  /** The keypoint the next click places (null: clicks draw and select). */
  let placingIndex: number | null = null;
  const keypointCount = () => (get("keypoint_labels") ?? []).length;
  const skeletonPairs = (): [number, number][] => {
    const names = get("keypoint_labels") ?? [];
    return (get("skeleton") ?? []).map(([a, b]) => [names.indexOf(a), names.indexOf(b)] as [number, number]).filter(([i, j]) => i >= 0 && j >= 0);
  };
  let view: View = { scale: 1, offsetX: 0, offsetY: 0 };
  let fitted = true;
  let lastSync = 0;
  let framesReceived = 0;
  let firstImage = false;
  const pixelsPerFrame = () => imageSize().width * imageSize().height;
  let store = new FrameStore<ImageBitmap>(MAX_PIXELS, pixelsPerFrame(), (image) => image.close());
  const outstanding = new Outstanding();
  const clock = new PlaybackClock(fps, numFrames);
  let requestId = 0;

  // -- frames from the kernel ------------------------------------------------------------------
  function wanted(): number[] {
    const ahead = prefetchAhead(clock.playing, fps(), clock.speed);
    // While playing, from the frame due now (the one on screen may lag behind it).
    const from = clock.playing ? Math.max(current, clock.dueAt(performance.now())) : current;
    // Nothing behind while playing: the kernel decodes forward, a step back costs a seek.
    return framesAround(from, ahead, clock.playing ? 0 : 4, numFrames());
  }

  /** Pixels across to ask frames at: what the view shows (no more than the frame has). */
  function neededWidth(): number {
    return requestWidth(imageSize().width, view.scale, window.devicePixelRatio || 1);
  }

  function requestFrames(): void {
    const width = neededWidth();
    const served = (k: number) => serves(store.peek(k), width);
    let want = wanted();
    // Paused, the frame on screen first and alone: its neighbours are asked for once it is here
    // (a seek then never waits behind the previous place's neighbours in the kernel).
    if (!clock.playing && want[0] !== undefined && !served(want[0])) want = want.slice(0, 1);
    // A bounded backlog: frames asked for far ahead of what the kernel decodes in time would
    // be decoded after they were due; paused, a short one, so that the next seek waits little.
    const inFlight = clock.playing ? Math.max(12, Math.ceil(fps() * clock.speed * IN_FLIGHT_SECONDS)) : PAUSED_IN_FLIGHT;
    const pick = outstanding.pick(want, served, performance.now(), inFlight);
    // Playing, frames go in order, in batches (the kernel decodes forward).
    for (let i = 0; i < pick.length; i += BATCH) {
      model.send({ type: "frames", id: ++requestId, view: token, frames: pick.slice(i, i + BATCH), width });
    }
  }

  /** One frame of a `frames` reply, decoded and held (or held as bad). */
  async function holdFrame(item: FrameItem, buffers: DataView[] | undefined): Promise<void> {
    const index = Number(item.index);
    if (!Number.isInteger(index) || index < 0 || index >= numFrames()) return;
    const buffer = typeof item.buffer === "number" ? buffers?.[item.buffer] : undefined;
    if (!buffer) {
      store.put(index, { image: null, bad: true, message: String(item.message ?? `frame ${index} cannot be decoded`) }, keep());
    } else {
      try {
        const blob = new Blob([new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength)], { type: item.mime || "image/jpeg" });
        const image = await createImageBitmap(blob);
        store.put(index, {
          image, bad: item.bad === true, width: Number(item.width) || image.width,
          message: item.bad ? String(item.message ?? `frame ${index} is damaged`) : undefined,
        }, keep());
      } catch (error) {
        store.put(index, { image: null, bad: true, message: `frame ${index} cannot be shown: ${String(error)}` }, keep());
      }
    }
    // Still "out" until held: decoding is asynchronous, and a frame neither out nor held would
    // be asked for again meanwhile.
    outstanding.settle(index);
    framesReceived++;
  }

  async function receiveFrames(msg: FrameReply, buffers: DataView[] | undefined): Promise<void> {
    const items = Array.isArray(msg.frames) ? msg.frames : [];
    await Promise.all(items.map((item) => holdFrame(item, buffers)));
    root.dataset.framesReceived = String(framesReceived);
    redraw();
    requestFrames();
  }

  function keep(): Set<number> {
    return new Set(wanted());
  }

  async function loadPoster(): Promise<void> {
    const data = get("poster");
    if (!data || data.byteLength === 0) return;
    try {
      const blob = new Blob([new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength)], { type: get("poster_mime") || "image/jpeg" });
      const image = await createImageBitmap(blob);
      store.put(get("poster_frame"), { image, bad: false, width: image.width }, keep());
      redraw();
    } catch {
      // The poster is only a head start: the frame is requested like any other.
    }
  }

  // -- frame position --------------------------------------------------------------------------
  function syncFrame(force: boolean): void {
    const now = performance.now();
    if (!force && now - lastSync < SYNC_WHILE_PLAYING_MS) return;
    if (model.get("frame") === current) return;
    lastSync = now;
    model.set("frame", current);
    model.save_changes();
  }

  function goTo(frame: number, sync = true): void {
    const n = numFrames();
    if (n === 0) return;
    const next = Math.min(Math.max(0, Math.round(frame)), n - 1);
    if (clock.playing) clock.play(next, performance.now());
    current = next;
    timebar.follow(current);
    requestFrames();
    if (sync) syncFrame(true);
    redraw();
  }

  function togglePlay(): void {
    if (clock.playing) {
      clock.pause();
      syncFrame(true);
    } else {
      if (current >= numFrames() - 1) current = 0;
      clock.play(current, performance.now());
      requestFrames();
    }
    redraw();
  }

  // -- drawing ---------------------------------------------------------------------------------
  let raf = 0;
  let ink = "#333";
  let lastDrawMs = 0;
  function redraw(): void {
    if (!raf) raf = requestAnimationFrame(draw);
  }

  function currentBoxes(): FrameBox[] {
    const boxes = boxesAt(edits.trackList, current);
    if (!gestures?.active) return boxes;
    return boxes.map((b) => {
      const moving = gestures?.editing(b.track_id);
      const points = b.points?.map((p, i) => {
        const dragged = gestures?.draggedPoint(b.track_id, i);
        return dragged ? ([dragged.x, dragged.y, p[2]] as [number, number, number]) : p;
      });
      const carried = moving && points ? carryPoints(points, b, moving) : points;
      return moving ? { ...b, ...moving, keyframe: true, points: carried } : { ...b, points };
    });
  }

  /** The first keypoint of the selected track not placed on this frame (null: all placed). */
  function nextMissingPoint(): number | null {
    const track = edits.track(selected);
    const box = track ? boxAt(track, current) : null;
    if (!box) return null;
    for (let i = 0; i < keypointCount(); i++) if (!box.points?.[i]?.[2]) return i;
    return null;
  }
  /** The selected track's keypoint under the pointer: visible <-> hidden, or not placed. */
  function keypointVisibility(remove: boolean): void {
    const track = edits.track(selected);
    const box = track ? boxAt(track, current) : null;
    const at = gestures?.pointer;
    if (!selected || !box?.points || !at) return;
    const hit = hitBox([box], at, view.scale, selected);
    if (hit.kind !== "point") return messages.show("Point at a keypoint of the selected track, then press V (Shift+V removes it).");
    const p = box.points[hit.index];
    if (!p) return;
    edits.placePoint(selected, current, hit.index, p[0], p[1], keypointCount(), remove ? 0 : p[2] === 2 ? 1 : 2);
    redraw();
  }

  function placeKeypoints(): void {
    if (!keypointCount()) return messages.show("This widget has no keypoint_labels.");
    if (!selected) return messages.show("Select a track first (click its box), then press K.");
    placingIndex = nextMissingPoint();
    if (placingIndex === null) messages.show("Every keypoint of the selected track is placed on this frame (drag one to move it).");
    redraw();
  }

  function draw(): void {
    raf = 0;
    const started = performance.now();
    if (clock.playing) {
      const tick = clock.tick(started, (k) => store.get(k)?.image != null || store.get(k)?.bad === true);
      if (tick.frame !== current) {
        current = tick.frame;
        timebar.follow(current);
      }
      requestFrames();
      syncFrame(tick.ended);
      if (tick.ended) syncFrame(true);
      root.dataset.dropped = String(clock.dropped);
      root.dataset.played = String(clock.shown);
      root.dataset.late = String(clock.late);
    }
    const width = stage.clientWidth;
    const height = stage.clientHeight;
    const held = store.get(current);
    const nearest = held?.image ? { index: current, image: held.image } : store.nearestBefore(current);
    const ctx = stageCanvas.getContext("2d");
    const badList = get("bad_frames") ?? [];
    const bad = held?.bad ? (held.message ?? `frame ${current} is damaged`) : badList.includes(current) ? `frame ${current} is damaged` : null;
    if (ctx && width > 0) {
      drawStage(ctx, {
        width, height, dpr: window.devicePixelRatio || 1, view, image: bad && !held?.image ? null : (nearest?.image ?? null),
        imageSize: imageSize(), boxes: currentBoxes(), selected, labels: get("labels"),
        proposals: edits.proposalList.filter((p) => p.frame === current),
        preview: gestures?.preview ? { ...gestures.preview, label: get("label") } : null,
        bad, stale: !bad && nearest?.index !== current, skeleton: skeletonPairs(),
      });
      if (nearest && !firstImage) {
        firstImage = true;
        root.dataset.firstImage = String(performance.now());
      }
      shownFrame = nearest?.index ?? -1;
    }
    timebar.draw(ink);
    const sel = edits.track(selected);
    const box = sel ? boxAt(sel, current) : null;
    const proposals = edits.proposalList.filter((p) => !selected || p.track_id === selected).length;
    const placingText = placingIndex !== null ? ` · click to place “${get("keypoint_labels")[placingIndex] ?? ""}”` : "";
    toolbar.setSelection(sel ? `${sel.label} · ${sel.keyframes.length} keyframe${sel.keyframes.length === 1 ? "" : "s"}${box ? (box.keyframe ? " · keyframe here" : " · interpolated") : " · absent here"}${placingText}` : null,
      proposals, merging);
    root.dataset.placing = placingIndex === null ? "" : String(placingIndex);
    toolbar.setPosition(current, numFrames(), fps());
    toolbar.setPlaying(clock.playing);
    lastDrawMs = performance.now() - started;
    root.dataset.frame = String(current);
    root.dataset.shownFrame = String(shownFrame);
    root.dataset.playing = String(clock.playing);
    root.dataset.drawMs = lastDrawMs.toFixed(2);
    root.dataset.viewScale = String(view.scale);
    root.dataset.viewX = String(view.offsetX);
    root.dataset.viewY = String(view.offsetY);
    root.dataset.timelineStart = String(timebar.view.start);
    root.dataset.timelineFpp = String(timebar.view.secondsPerPixel);
    root.dataset.selected = selected ?? "";
    root.dataset.keyframes = keyframeFrames(sel).join(",");
    root.dataset.bad = bad ? "true" : "false";
    if (clock.playing) redraw();
  }

  function resize(): void {
    if (!stage.clientWidth) return;
    ink = getComputedStyle(root).color || "#333";
    const dpr = window.devicePixelRatio || 1;
    for (const canvas of [stageCanvas, timeCanvas]) {
      canvas.width = Math.max(1, Math.round(canvas.clientWidth * dpr));
      canvas.height = Math.max(1, Math.round(canvas.clientHeight * dpr));
    }
    if (fitted) view = fitView(imageSize().width, imageSize().height, stage.clientWidth, stage.clientHeight);
    timebar.resize(timeCanvas.clientWidth);
    redraw();
  }

  // -- edits -----------------------------------------------------------------------------------
  function chooseLabel(index: number): void {
    const name = get("labels")[index];
    if (name === undefined) return;
    if (selected && edits.track(selected)) edits.relabel(selected, name);
    else if (selectedSegment && edits.segment(selectedSegment)) edits.relabelSegment(selectedSegment, name);
    model.set("label", name);
    model.save_changes();
    redraw();
  }
  function toggleOutside(): void {
    if (selected) edits.toggleOutside(selected, current);
    redraw();
  }
  function toggleOccluded(): void {
    if (selected) edits.toggleOccluded(selected, current);
    redraw();
  }
  function remove(track: boolean): void {
    if (selectedSegment && edits.removeSegment(selectedSegment)) selectedSegment = null;
    else if (selected) {
      if (track) edits.deleteTrack(selected);
      else if (!edits.deleteKeyframe(selected, current)) messages.show("The selected track has no keyframe on this frame (Shift+Delete deletes the track).");
      if (!edits.track(selected)) selected = null;
    }
    redraw();
  }
  function split(): void {
    if (!selected) return;
    const tail = edits.split(selected, current);
    if (tail) selected = tail;
    else messages.show("A track splits at a frame after its first keyframe where its box is present.");
    redraw();
  }
  function merge(): void {
    merging = selected !== null && !merging;
    redraw();
  }
  function runTracker(): void {
    if (!selected) return;
    if (!edits.track(selected) || !boxAt(edits.track(selected) as never, current)) {
      messages.show("The selected track has no box on this frame to track from.");
      return;
    }
    toolbar.status.textContent = "tracking…";
    model.send({ type: "track", id: ++requestId, view: token, track_id: selected, frame: current, count: TRACK_COUNT });
  }
  function receiveTracked(msg: FrameReply): void {
    const found = Array.isArray(msg.proposals) ? msg.proposals : [];
    const trackId = String(msg.track_id);
    // Replace the track's earlier proposals with these, as one undoable edit.
    const old = edits.proposalList.filter((p) => p.track_id === trackId);
    const changes = [
      ...old.map((p) => ({ field: "proposals", op: "remove" as const, record: p as never })),
      ...found.map((p) => ({ field: "proposals", op: "add" as const, record: p as never })),
    ];
    editor.commit(changes);
    toolbar.status.textContent = `${found.length} proposal${found.length === 1 ? "" : "s"}`;
    redraw();
  }
  function accept(): void {
    const n = edits.acceptProposals(selected && edits.proposalList.some((p) => p.track_id === selected) ? selected : null, current);
    if (n === 0) messages.show("No proposals up to this frame to accept (T proposes boxes for the selected track).");
    redraw();
  }
  function reject(): void {
    edits.rejectProposals(selected);
    redraw();
  }

  // -- gestures --------------------------------------------------------------------------------
  let gestures: StageGestures | null = null;
  const timebar = new Timebar(timeCanvas, {
    numFrames, fps, frame: () => current, labels: () => get("labels"), segments: () => edits.segmentList,
    keyframes: () => keyframeFrames(edits.track(selected)),
    proposalFrames: () => edits.proposalList.map((p) => p.frame),
    badFrames: () => get("bad_frames") ?? [],
    selectedSegment: () => selectedSegment,
    selectSegment: (id) => {
      selectedSegment = id;
      if (id) selected = null;
      redraw();
    },
    seek: (f, final) => {
      if (clock.playing && final) clock.play(f, performance.now());
      current = Math.min(Math.max(0, f), Math.max(0, numFrames() - 1));
      requestFrames();
      if (final) syncFrame(true);
      redraw();
    },
    createSegment: (iv) => {
      selectedSegment = edits.createSegment(iv.start, iv.end, get("label")) ?? selectedSegment;
      if (selectedSegment) selected = null;
    },
    retimeSegment: (id, iv) => edits.retimeSegment(id, iv.start, iv.end),
    currentLabel: () => get("label"),
    focus: () => root.focus({ preventScroll: true }),
    redraw, viewChanged: () => {},
  });
  gestures = new StageGestures({
    canvas: stageCanvas, view: () => view,
    setView: (next) => {
      view = next;
      fitted = false;
      requestFrames();
      redraw();
    },
    imageSize, boxes: () => boxesAt(edits.trackList, current), selected: () => selected,
    select: (id) => {
      if (id !== selected) placingIndex = null;
      if (merging && selected && id && id !== selected) {
        edits.merge(selected, id);
        merging = false;
      } else {
        selected = id;
        merging = false;
      }
      if (id) selectedSegment = null;
      redraw();
    },
    create: (rect: Rect) => {
      selected = edits.createTrack(current, rect, get("label"));
      selectedSegment = null;
    },
    place: (id, rect) => edits.placeBox(id, current, rect),
    placing: () => placingIndex !== null && selected !== null,
    placePoint: (p) => {
      if (placingIndex === null || !selected) return;
      const { width, height } = imageSize();
      edits.placePoint(selected, current, placingIndex, Math.min(Math.max(0, p.x), width), Math.min(Math.max(0, p.y), height), keypointCount());
      placingIndex = nextMissingPoint();
    },
    movePoint: (id, index, p) => edits.placePoint(id, current, index, p.x, p.y, keypointCount()),
    focus: () => root.focus({ preventScroll: true }), redraw,
  });

  // -- keys ------------------------------------------------------------------------------------
  const removeKeys = installKeyScope(root, videoKeyHandler({
    undo: () => (editor.undo(), redraw()), redo: () => (editor.redo(), redraw()), chooseLabel,
    step: (n) => goTo(current + n), togglePlay, remove, toggleOutside, toggleOccluded, split, merge,
    track: runTracker, accept, placeKeypoints, keypointVisibility,
    keyframe: (direction) => {
      const track = edits.track(selected);
      const to = track ? neighbourKeyframe(track, current, direction) : null;
      if (to !== null) goTo(to);
    },
    cancel: () => {
      gestures?.cancel();
      merging = false;
      placingIndex = null;
      selected = null;
      selectedSegment = null;
      redraw();
    },
    zoom: (f) => timebar.zoom(f), fit: () => timebar.fit(),
  }));

  // -- model wiring ----------------------------------------------------------------------------
  const onCustom = (msg: FrameReply, buffers: DataView[]) => {
    if (!msg || msg.view !== token) return;
    if (msg.video_id !== undefined && msg.video_id !== get("video_id")) return;
    if (msg.type === "frames") void receiveFrames(msg, buffers);
    else if (msg.type === "tracked") receiveTracked(msg);
    else if (msg.type === "request-error") {
      toolbar.status.textContent = "";
      messages.show(String(msg.message));
    }
  };
  const onFrame = () => {
    const f = get("frame");
    if (typeof f === "number" && f !== current) {
      if (clock.playing) clock.pause();
      goTo(f, false);
    }
  };
  const onLabels = () => {
    toolbar.setLabels(get("labels"), get("label"));
    redraw();
  };
  const onLabel = () => toolbar.setCurrentLabel(get("labels"), get("label"));
  const onError = () => (get("error") ? messages.show(get("error")) : messages.clear());
  const onVideo = () => {
    clock.pause();
    store.clear();
    store = new FrameStore<ImageBitmap>(MAX_PIXELS, pixelsPerFrame(), (image) => image.close());
    outstanding.clear();
    current = Math.min(Math.max(0, get("frame") ?? 0), Math.max(0, numFrames() - 1));
    selected = null;
    selectedSegment = null;
    merging = false;
    placingIndex = null;
    fitted = true;
    resize();
    timebar.fit();
    void loadPoster();
    requestFrames();
  };
  const checkRecords = () => {
    const bad = edits.trackList.map(trackProblem).filter((p) => p !== null);
    if (bad.length) messages.show(`${bad.length} track record(s) are malformed and are not shown: ${bad[0]}`);
  };
  const offList = editor.onList(() => {
    if (selected && !edits.track(selected)) selected = null;
    if (selectedSegment && !edits.segment(selectedSegment)) selectedSegment = null;
    checkRecords();
    redraw();
  });
  const offStatus = editor.onStatus(({ pending, error }) => {
    toolbar.status.textContent = pending > 0 ? `saving ${pending}…` : "saved";
    if (error) messages.show(error);
  });
  model.on("msg:custom", onCustom);
  model.on("change:frame", onFrame);
  model.on("change:labels", onLabels);
  model.on("change:label", onLabel);
  model.on("change:error", onError);
  model.on("change:video_id", onVideo);
  model.on("change:bad_frames", redraw);
  const observer = new ResizeObserver(() => resize());
  observer.observe(stage);

  onLabels();
  onError();
  checkRecords();
  void loadPoster();
  resize();
  requestFrames();

  return () => {
    observer.disconnect();
    removeKeys();
    gestures?.destroy();
    timebar.destroy();
    offList();
    offStatus();
    clock.pause();
    if (raf) cancelAnimationFrame(raf);
    store.clear();
    model.off("msg:custom", onCustom);
    model.off("change:frame", onFrame);
    model.off("change:labels", onLabels);
    model.off("change:label", onLabel);
    model.off("change:error", onError);
    model.off("change:video_id", onVideo);
    model.off("change:bad_frames", redraw);
  };
}

export default { render: withPanel(render) };
