import * as Menu from "@radix-ui/react-dropdown-menu";
import type { ComponentProps } from "react";
import { cn } from "../../lib/cn.ts";

// Radix's menu (keyboard: arrows, Home/End, typeahead, Escape; focus returns to the trigger), styled.
// Not modal: a modal menu hides the rest of the page with aria-hidden while it still holds focusable
// elements (axe: aria-hidden-focus); a menu that closes on Escape, Tab or a click outside needs no trap.
export function DropdownMenu(props: ComponentProps<typeof Menu.Root>) {
  return <Menu.Root modal={false} {...props} />;
}
export const DropdownMenuTrigger = Menu.Trigger;
export const DropdownMenuRadioGroup = Menu.RadioGroup;

export function DropdownMenuContent({ className, sideOffset = 6, align = "end", ...props }: ComponentProps<typeof Menu.Content>) {
  return (
    <Menu.Portal>
      <Menu.Content
        sideOffset={sideOffset}
        align={align}
        className={cn("z-50 min-w-56 rounded-md border border-zinc-200 bg-white p-1 text-sm shadow-lg", className)}
        {...props}
      />
    </Menu.Portal>
  );
}

const itemClasses = "flex cursor-default items-center gap-2 rounded px-2 py-2 text-zinc-900 outline-none select-none data-highlighted:bg-zinc-100";

export function DropdownMenuItem({ className, ...props }: ComponentProps<typeof Menu.Item>) {
  return <Menu.Item className={cn(itemClasses, className)} {...props} />;
}

export function DropdownMenuRadioItem({ className, children, ...props }: ComponentProps<typeof Menu.RadioItem>) {
  return (
    <Menu.RadioItem className={cn(itemClasses, "pl-7 relative", className)} {...props}>
      <Menu.ItemIndicator className="absolute left-2 text-emerald-700" aria-hidden="true">
        ✓
      </Menu.ItemIndicator>
      {children}
    </Menu.RadioItem>
  );
}

export function DropdownMenuLabel({ className, ...props }: ComponentProps<typeof Menu.Label>) {
  return <Menu.Label className={cn("px-2 py-1.5 text-xs font-medium text-zinc-600", className)} {...props} />;
}

export function DropdownMenuSeparator({ className, ...props }: ComponentProps<typeof Menu.Separator>) {
  return <Menu.Separator className={cn("my-1 h-px bg-zinc-200", className)} {...props} />;
}
