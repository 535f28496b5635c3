/** The microphone, through the capture worklet: delivers 16 kHz PCM16 frames with their level. */
import workletUrl from "./capture.worklet.ts?worker&url";

export interface MicrophoneFrame {
  pcm: Uint8Array;
  level: number;
}

export interface Microphone {
  close: () => void;
}

/** Asks for the microphone (the browser prompts once) and starts delivering frames to `onFrame`. */
export async function openMicrophone(onFrame: (frame: MicrophoneFrame) => void): Promise<Microphone> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  });
  const context = new AudioContext();
  try {
    await context.audioWorklet.addModule(workletUrl);
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, "prepai-capture", { numberOfInputs: 1, numberOfOutputs: 0 });
    node.port.onmessage = (event: MessageEvent<MicrophoneFrame>) => onFrame(event.data);
    source.connect(node);
  } catch (error) {
    stream.getTracks().forEach((t) => t.stop());
    void context.close();
    throw error;
  }
  return {
    close: () => {
      stream.getTracks().forEach((t) => t.stop());
      void context.close();
    },
  };
}
