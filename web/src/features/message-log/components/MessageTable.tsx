import type { MessageLogMessagesQuery } from "../../../graphql/graphql.ts";
import { DIRECTION_LABEL, contactOf, formatTime } from "./labels.ts";
import { StatusBadge } from "./StatusBadge.tsx";

type Message = MessageLogMessagesQuery["messages"]["edges"][number]["node"];

/**
 * One page of messages: a table from 768 px, stacked cards below it. Each message opens its details
 * from a button named by its text, so keyboard and screen-reader users reach it like a link.
 */
export function MessageTable({ messages, onOpen }: { messages: Message[]; onOpen: (id: string) => void }) {
  const open = (message: Message, className: string) => (
    <button
      type="button"
      onClick={() => onOpen(message.id)}
      className={`${className} text-left text-emerald-900 underline decoration-emerald-700/40 underline-offset-2 hover:decoration-emerald-700 focus-visible:outline-2 focus-visible:outline-emerald-600`}
    >
      {message.text || "(empty)"}
    </button>
  );
  return (
    <>
      <table className="hidden w-full table-fixed border-collapse text-sm md:table">
        <caption className="sr-only">Messages, newest first</caption>
        <thead>
          <tr className="border-b border-zinc-200 text-left text-xs font-semibold tracking-wide text-zinc-600 uppercase">
            <th scope="col" className="w-44 py-2 pr-3">
              Time
            </th>
            <th scope="col" className="w-24 py-2 pr-3">
              Direction
            </th>
            <th scope="col" className="w-40 py-2 pr-3">
              Contact
            </th>
            <th scope="col" className="py-2 pr-3">
              Message
            </th>
            <th scope="col" className="w-28 py-2">
              Status
            </th>
          </tr>
        </thead>
        <tbody>
          {messages.map((message) => (
            <tr key={message.id} className="border-b border-zinc-100 align-top">
              <td className="py-2 pr-3 text-zinc-700 tabular-nums">{formatTime(message.createdAt)}</td>
              <td className="py-2 pr-3 text-zinc-700">{DIRECTION_LABEL[message.direction]}</td>
              <td className="py-2 pr-3 font-mono text-xs text-zinc-800">{contactOf(message)}</td>
              <td className="py-2 pr-3">
                {open(message, "line-clamp-2 break-words")}
                {message.error && <p className="mt-1 text-xs text-red-800">{message.error}</p>}
              </td>
              <td className="py-2">
                <StatusBadge status={message.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul aria-label="Messages, newest first" className="divide-y divide-zinc-100 md:hidden">
        {messages.map((message) => (
          <li key={message.id} className="space-y-1 py-3">
            <div className="flex items-center justify-between gap-2 text-xs text-zinc-600">
              <span>
                {DIRECTION_LABEL[message.direction]} · <span className="font-mono">{contactOf(message)}</span>
              </span>
              <StatusBadge status={message.status} />
            </div>
            {open(message, "line-clamp-3 w-full break-words text-sm")}
            <p className="text-xs text-zinc-600 tabular-nums">{formatTime(message.createdAt)}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
