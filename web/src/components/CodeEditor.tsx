/** CodeMirror 6 with Python or JavaScript highlighting; Tab indents, Escape then Tab leaves the editor. */
import { useEffect, useRef } from "react";
import { basicSetup } from "codemirror";
import { Annotation, Compartment, EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { javascript } from "@codemirror/lang-javascript";
import type { Language } from "../interview/messages";

const languageSupport = (language: Language) => (language === "python" ? python() : javascript());

/** Marks changes that came from `value` (a loaded draft, a reset), so they are not reported back as edits. */
const fromValue = Annotation.define<boolean>();

export function CodeEditor({
  value,
  language,
  onChange,
  label,
}: {
  value: string;
  language: Language;
  onChange: (code: string) => void;
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const languageSlot = useRef(new Compartment());
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          keymap.of([indentWithTab]),
          languageSlot.current.of(languageSupport(language)),
          // An explicit tabindex makes the editor a keyboard stop that accessibility checkers recognise.
          EditorView.contentAttributes.of({ "aria-label": label, tabindex: "0" }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && !update.transactions.some((t) => t.annotation(fromValue))) {
              onChangeRef.current(update.state.doc.toString());
            }
          }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
    // The editor is created once; value and language changes are pushed below.
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: languageSlot.current.reconfigure(languageSupport(language)) });
  }, [language]);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value }, annotations: fromValue.of(true) });
    }
  }, [value]);

  return <div className="code-editor" ref={host} />;
}
