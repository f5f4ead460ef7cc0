/**
 * Commands the operator sent and how they are doing (`useCommandsStore`): each answer of the API
 * and each `command` event of the live stream updates the latest command per terminal and the
 * progress of group commands, which the panels show live.
 */
import { defineStore } from 'pinia';
import { shallowRef, triggerRef } from 'vue';
import type { Command, CommandEventData, GroupTarget } from '../../../../domain/commands';
import { onServerEvent } from '../live/serverEvents';
import { sendGroupCommand, sendSignalPlans, sendTerminalCommand } from './commandsApi';
import { CommandBook } from './core/groupProgress';

export const useCommandsStore = defineStore('commands', () => {
  const book = shallowRef(new CommandBook());
  const changed = (): void => triggerRef(book);

  onServerEvent('command', (data) => {
    book.value.take((data as CommandEventData).commands);
    changed();
  });

  async function send(terminalId: string, command: Command): Promise<void> {
    const record = await sendTerminalCommand(terminalId, command);
    book.value.take([record]);
    changed();
  }

  /** Sends a group command; returns its group id and size. */
  async function sendGroup(target: GroupTarget, command: Command, confirm: boolean): Promise<{ groupId: string; count: number }> {
    const answer = await sendGroupCommand(target, command, confirm);
    book.value.take(answer.commands);
    changed();
    return { groupId: answer.groupId, count: answer.count };
  }

  /** Sends each junction's timing plan to its controller (one group); returns the group id and size. */
  async function sendPlans(plans: Parameters<typeof sendSignalPlans>[0]): Promise<{ groupId: string; count: number }> {
    const answer = await sendSignalPlans(plans);
    book.value.take(answer.commands);
    changed();
    return { groupId: answer.groupId, count: answer.count };
  }

  return { book, send, sendGroup, sendPlans };
});
