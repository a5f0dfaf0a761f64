/**
 * AudioAnnotator front end: regions on a waveform or spectrogram, with playback.
 *
 * The kernel holds the samples; this view asks for what it shows (peaks and spectrogram
 * images of the visible window, PCM chunks ahead of the playhead) by request id and keeps
 * drawing what it has until the answers arrive (js/audio/media.ts). Gestures run here at
 * frame rate (js/audio/gestures.ts); a finished gesture crosses once, as a change
 * (js/audio/edits.ts through js/lib/sync.ts).
 */
import type { AnyModel, RenderProps } from "@anywidget/types";
import "./audio.css";
import type { Region } from "./types";
import { el, messageBar } from "./lib/dom";
import { installKeyScope } from "./lib/keys";
import { editorFor, newId } from "./lib/sync";
import { RegionEdits, keyOf } from "./audio/edits";
import { Gestures } from "./audio/gestures";
import { audioKeyHandler } from "./audio/keys";
import { Media, type Reply } from "./audio/media";
import { type DrawnItem, drawOverlay } from "./audio/overlay";
import { Player } from "./audio/player";
import { type Lanes, assignLanes } from "./audio/regions";
import { type TimeView, centreOn, clampView, fitView, formatTime, resizeView, scrollBy, viewEnd, zoomAt } from "./audio/timeline";
import { Toolbar } from "./audio/toolbar";
import { AudioTranscriber } from "./audio/transcribe";
import { drawAxis, drawOverview, drawSpectrogram, drawWaveform } from "./audio/waveform";
import { withPanel } from "./session/panel";

interface AudioModel {
  labels: string[];
  label: string;
  regions: Region[];
  suggestions: Region[];
  spectrogram: boolean;
  transcribe: boolean;
  sample_rate: number;
  duration: number;
  num_samples: number;
  channels: number;
  peak: number;
  chunk_samples: number;
  sample_format: string;
  overview: DataView;
  overview_columns: number;
  audio_id: number;
  error: string;
  [key: string]: unknown;
}

const MAX_SAMPLE_PX = 20; // deepest zoom: 20 pixels per sample
const WAVE_COLOR = "#3a6ea5";

function render({ model, el: host }: RenderProps<AudioModel>): () => void {
  const editor = editorFor(model as unknown as AnyModel, ["regions", "suggestions"]);
  const get = <K extends keyof AudioModel>(key: K): AudioModel[K] => model.get(key);
  const duration = () => get("duration");
  const sampleRate = () => get("sample_rate");
  const minSpp = () => 1 / (sampleRate() * MAX_SAMPLE_PX);
  const edits = new RegionEdits(editor, sampleRate, duration);

  // -- DOM -------------------------------------------------------------------------------------
  const root = el("div", { className: "nba-root nba-audio", attrs: { tabindex: "0" } });
  const axis = el("canvas", { className: "nba-audio-axis" });
  const wave = el("canvas", { className: "nba-audio-wave" });
  const stageCanvas = el("canvas", { className: "nba-audio-overlay" });
  const stage = el("div", { className: "nba-audio-stage" }, [wave, stageCanvas]);
  const overviewCanvas = el("canvas", { className: "nba-audio-overview" });
  const toolbar = new Toolbar({
    chooseLabel, undo: () => editor.undo(), redo: () => editor.redo(), togglePlay, playSelection,
    setRate: (r) => player.setRate(r), setLoop,
    zoom: (f) => setView(zoomAt(view, f, view.width / 2, duration(), minSpp())),
    fit: () => setView(fitView(duration(), view.width)),
    toggleSpectrogram: () => {
      model.set("spectrogram", !get("spectrogram"));
      model.save_changes();
    },
    accept: () => accept(selectedSuggestion() ? [selectedSuggestion() as Region] : []),
    reject: () => removeSelected(), acceptAll: () => accept([...edits.suggestions.items]),
  });
  root.append(toolbar.labelsRow, toolbar.transport, toolbar.review, axis, stage, overviewCanvas);
  host.append(root);
  const messages = messageBar(root);

  // -- state -----------------------------------------------------------------------------------
  let view: TimeView = fitView(duration(), 800);
  let selected: string | null = null;
  let loop = false;
  let scrub: number | null = null;
  let items: DrawnItem[] = [];
  let lanes: Lanes = assignLanes([]);
  let gestures: Gestures | null = null;
  const media = new Media({
    send: (content) => model.send(content), sampleRate, numSamples: () => get("num_samples"),
    audioId: () => get("audio_id"), spectrogram: () => get("spectrogram"),
    updated: () => {
      root.dataset.peaksReplies = String(media.peakReplies);
      root.dataset.peaksRoundTrip = media.lastRoundTrip.toFixed(1);
      redraw(true);
    },
    chunk: (index, channels) => player.receive(index, channels), problem: (text) => messages.show(text),
  }, newId());
  let player = makePlayer();

  function makePlayer(): Player {
    return new Player({
      sampleRate: sampleRate(), numSamples: get("num_samples"), chunkSamples: get("chunk_samples"),
      channels: get("channels"), gain: get("peak") > 1 ? 1 / get("peak") : 1,
      requestChunk: (index) => media.requestChunk(index), onEnded: () => redraw(),
    });
  }

  function loadOverview(): void {
    const problem = media.loadOverview(get("overview"), get("overview_columns"), get("channels"));
    if (problem) messages.show(problem);
  }

  /** The regions and suggestions as drawn (the one being dragged where it is being dragged). */
  function rebuildItems(): void {
    const out: DrawnItem[] = [];
    let bad = 0;
    for (const [list, kind] of [[edits.regions.items, "region"], [edits.suggestions.items, "suggestion"]] as const) {
      for (const r of list) {
        if (!r || !Number.isFinite(r.start) || !Number.isFinite(r.end) || r.end <= r.start || typeof r.label !== "string") {
          bad++;
          continue;
        }
        const key = keyOf(kind === "region" ? "regions" : "suggestions", r.id);
        const shown = gestures?.editing(key) ?? r;
        out.push({ key, start: shown.start, end: shown.end, label: r.label, kind, score: r.score, channel: r.channel, text: r.text });
      }
    }
    items = out;
    lanes = assignLanes(out);
    if (bad) messages.show(`${bad} region record(s) are malformed (start/end must be numbers with start < end) and are not shown.`);
  }
  const selectedSuggestion = () => {
    const found = edits.find(selected);
    return found && found.field === "suggestions" ? found.record : null;
  };

  // -- drawing ---------------------------------------------------------------------------------
  let frame = 0;
  let dirtyWave = true;
  let waveDraws = 0;
  let ink = "#333"; // the theme's text color, read on resize (reading it per frame forces style work)
  function redraw(waveToo = false): void {
    dirtyWave ||= waveToo;
    if (!frame) frame = requestAnimationFrame(draw);
  }
  function prepare(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
    const ctx = canvas.getContext("2d");
    if (!ctx) return null;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }
  function draw(): void {
    frame = 0;
    const height = stage.clientHeight;
    if (dirtyWave) {
      dirtyWave = false;
      const ctx = prepare(wave);
      if (ctx && get("spectrogram")) drawSpectrogram(ctx, view, height, sampleRate(), media.spectro);
      else if (ctx) drawWaveform(ctx, view, height, sampleRate(), get("channels"), get("peak"), [media.overview, media.detail], WAVE_COLOR);
      // Counts frames that showed data (read by tests and benchmarks).
      if (view.width > 1 && (media.overview || media.spectro)) root.dataset.waveDraws = String(++waveDraws);
      const axisCtx = prepare(axis);
      if (axisCtx) drawAxis(axisCtx, view, axis.clientHeight, ink);
    }
    const position = scrub ?? player.position;
    rebuildItems();
    const overlayCtx = prepare(stageCanvas);
    const preview = gestures?.preview;
    if (overlayCtx) {
      drawOverlay(overlayCtx, {
        view, height, items, lanes, selected, labels: get("labels"), playhead: position, dark: get("spectrogram"),
        preview: preview ? { ...preview, label: get("label") } : null,
      });
    }
    transcriber.place();
    const overviewCtx = prepare(overviewCanvas);
    if (overviewCtx) {
      const w = overviewCanvas.clientWidth;
      drawOverview(overviewCtx, media.overview, duration(), w, overviewCanvas.clientHeight, sampleRate(), get("peak"), view, "#7a8ea5");
      overviewCtx.fillStyle = "#d32f2f";
      overviewCtx.fillRect((position / duration()) * w - 1, 0, 2, overviewCanvas.clientHeight);
    }
    toolbar.setTime(position, duration());
    toolbar.setPlaying(player.playing);
    const sel = edits.find(selected);
    toolbar.setSelection(sel ? `${sel.record.label} ${formatTime(sel.record.start)} – ${formatTime(sel.record.end)}` : null,
      sel?.field === "suggestions", edits.suggestions.items.length);
    root.dataset.playhead = position.toFixed(3);
    root.dataset.playing = String(player.playing);
    root.dataset.viewStart = view.start.toFixed(6);
    root.dataset.viewEnd = viewEnd(view).toFixed(6);
    if (player.playing) follow(position);
  }

  /** While playing, page the view forward when the playhead leaves it; keep drawing frames. */
  function follow(position: number): void {
    if (!gestures?.active && (position > viewEnd(view) || position < view.start)) {
      setView(clampView({ ...view, start: position - view.width * view.secondsPerPixel * 0.05 }, duration(), minSpp()));
    }
    redraw();
  }

  function resize(): void {
    if (!stage.clientWidth) return; // not laid out yet: the observer calls again when it is
    ink = getComputedStyle(root).color || "#333";
    const dpr = window.devicePixelRatio || 1;
    for (const canvas of [axis, wave, stageCanvas, overviewCanvas]) {
      canvas.width = Math.max(1, Math.round(canvas.clientWidth * dpr));
      canvas.height = Math.max(1, Math.round(canvas.clientHeight * dpr));
    }
    setView(resizeView(view, stage.clientWidth, duration(), minSpp()));
  }

  function setView(next: TimeView): void {
    view = next;
    media.request(view);
    redraw(true);
  }

  // -- playback --------------------------------------------------------------------------------
  function togglePlay(): void {
    if (player.playing) player.pause();
    else {
      const from = player.position >= duration() - 1e-3 ? 0 : player.position;
      player.play({ from, until: duration(), loop: false, loopStart: 0 });
    }
    redraw();
  }
  function playSelection(): void {
    const found = edits.find(selected);
    if (!found) return;
    const { start, end } = found.record;
    player.play({ from: start, until: end, loop, loopStart: start });
    redraw();
  }
  function setLoop(on: boolean): void {
    loop = on;
    toolbar.setLoop(on);
    transcriber.setLoop(on);
    const found = edits.find(selected);
    if (player.playing && found) player.play({ from: player.position, until: found.record.end, loop, loopStart: found.record.start });
  }
  function seek(t: number, final: boolean): void {
    if (player.playing && !final) scrub = t; // show where it will jump; jump on release
    else {
      scrub = null;
      player.seek(t);
    }
    redraw();
  }

  // -- edits -----------------------------------------------------------------------------------
  function chooseLabel(index: number): void {
    const name = get("labels")[index];
    if (name === undefined) return;
    if (!edits.find(selected)) {
      model.set("label", name);
      model.save_changes();
    } else if (selected) edits.relabel(selected, name);
    redraw();
  }
  function removeSelected(): void {
    if (selected && edits.remove(selected)) selected = null;
    redraw();
  }
  function accept(list: Region[]): void {
    const key = edits.accept(list);
    if (list.length) selected = key;
    redraw();
  }

  gestures = new Gestures({
    stage: stageCanvas, axis, overview: overviewCanvas, view: () => view, setView, duration, minSecondsPerPixel: minSpp,
    items: () => items, lanes: () => lanes, selected: () => selected,
    select: (key) => {
      selected = key;
      redraw();
    },
    createRegion: (iv) => {
      selected = edits.create(iv, get("label")) ?? selected;
      transcriber.drawn(selected);
    },
    updateRegion: (key, iv) => edits.retime(key, iv),
    seek, focus: () => root.focus({ preventScroll: true }), redraw: () => redraw(),
  });

  // -- transcription (transcribe=True): a text field under the region, which plays meanwhile -----
  const transcriber = new AudioTranscriber({
    enabled: () => get("transcribe") === true, edits, view: () => view, lanes: () => lanes, stage, canvas: stageCanvas,
    selected: () => selected, setLoop, loop: () => loop, focusWidget: () => root.focus({ preventScroll: true }),
    focusRegion: (key) => {
      selected = key;
      const r = edits.find(key)?.record;
      if (r && (r.start < view.start || r.end > viewEnd(view))) setView(centreOn(view, (r.start + r.end) / 2, duration(), minSpp()));
      playSelection();
    },
    stop: () => (player.pause(), redraw()),
  });

  // -- keys ------------------------------------------------------------------------------------
  const removeKeys = installKeyScope(root, audioKeyHandler({
    undo: () => editor.undo(), redo: () => editor.redo(), chooseLabel, togglePlay, removeSelected,
    acceptSelected: () => {
      const suggestion = selectedSuggestion();
      if (suggestion) accept([suggestion]);
      return suggestion !== null;
    },
    editText: () => transcriber.editSelected(),
    toggleLoop: () => setLoop(!loop),
    cancel: () => {
      gestures?.cancel();
      selected = null;
      redraw();
    },
    zoom: (factor) => setView(zoomAt(view, factor, view.width / 2, duration(), minSpp())),
    fit: () => setView(fitView(duration(), view.width)),
    scroll: (fraction) => setView(scrollBy(view, fraction * view.width, duration(), minSpp())),
  }));

  // -- model wiring ----------------------------------------------------------------------------
  const onCustom = (msg: Reply, buffers: DataView[]) => media.receive(msg, buffers, view);
  const onLabels = () => {
    toolbar.setLabels(get("labels"), get("label"));
    redraw();
  };
  const onLabel = () => toolbar.setCurrentLabel(get("labels"), get("label"));
  const onSpectrogram = () => {
    toolbar.setSpectrogram(get("spectrogram"));
    media.request(view);
    redraw(true);
  };
  const onAudio = () => {
    player.destroy();
    player = makePlayer();
    media.reset();
    selected = null;
    loadOverview();
    setView(fitView(duration(), view.width));
  };
  const onError = () => (get("error") ? messages.show(get("error")) : messages.clear());
  const offList = editor.onList(() => {
    if (selected && !edits.find(selected)) selected = null;
    transcriber.recordsChanged();
    redraw();
  });
  const offStatus = editor.onStatus(({ pending, error }) => {
    toolbar.status.textContent = pending > 0 ? `saving ${pending}…` : "saved";
    if (error) messages.show(error);
  });
  model.on("msg:custom", onCustom);
  model.on("change:labels", onLabels);
  model.on("change:label", onLabel);
  model.on("change:spectrogram", onSpectrogram);
  model.on("change:audio_id", onAudio);
  model.on("change:error", onError);
  model.on("change:transcribe", transcriber.recordsChanged);
  const observer = new ResizeObserver(() => resize());
  observer.observe(stage);

  loadOverview();
  onLabels();
  onError();
  toolbar.setSpectrogram(get("spectrogram"));
  resize();

  return () => {
    observer.disconnect();
    removeKeys();
    transcriber.destroy();
    model.off("change:transcribe", transcriber.recordsChanged);
    gestures?.destroy();
    offList();
    offStatus();
    player.destroy();
    if (frame) cancelAnimationFrame(frame);
    model.off("msg:custom", onCustom);
    model.off("change:labels", onLabels);
    model.off("change:label", onLabel);
    model.off("change:spectrogram", onSpectrogram);
    model.off("change:audio_id", onAudio);
    model.off("change:error", onError);
  };
}

export default { render: withPanel(render) };
