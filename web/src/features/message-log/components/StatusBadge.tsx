import type { MessageStatus } from "../../../graphql/graphql.ts";
import { cn } from "../../../lib/cn.ts";
import { STATUS_LABEL, STATUS_TONE } from "./labels.ts";

export function StatusBadge({ status }: { status: MessageStatus }) {
  return <span className={cn("inline-block rounded-full px-2 py-0.5 text-xs font-medium", STATUS_TONE[status])}>{STATUS_LABEL[status]}</span>;
}
