"""A fault-injecting SMTP proxy between the gateway and smtp-sink, for the upstream fault run.
With the given odds it answers 421 at connect, 451 to a RCPT (not forwarded), drops both connections
before the end of the data (the sink discards the message), or passes the final "." on and drops
the gateway's connection before the sink's 250 reaches it (the message is delivered but the gateway
does not know: SMTP's at-least-once window). Counts of each are printed at exit (SIGTERM)."""
import asyncio
import random
import signal
import sys

listen_port, sink_port, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
odds = {"connect421": float(sys.argv[4]), "rcpt451": float(sys.argv[5]), "drop_before_dot": float(sys.argv[6]), "drop_after_dot": float(sys.argv[7])}
rng = random.Random(seed)
counts = {name: 0 for name in odds} | {"connections": 0, "messages_passed": 0}


def roll(name):
    if rng.random() < odds[name]:
        counts[name] += 1
        return True
    return False


async def handle(client_reader, client_writer):
    counts["connections"] += 1
    if roll("connect421"):
        client_writer.write(b"421 4.3.2 flaky upstream: try again later\r\n")
        await client_writer.drain()
        client_writer.close()
        return
    sink_reader, sink_writer = await asyncio.open_connection("127.0.0.1", sink_port)
    try:
        client_writer.write(await sink_reader.readline())  # banner
        await client_writer.drain()
        while True:
            line = await client_reader.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"RCPT" and roll("rcpt451"):
                client_writer.write(b"451 4.3.0 flaky upstream: recipient deferred\r\n")
                await client_writer.drain()
                continue
            sink_writer.write(line)
            await sink_writer.drain()
            if verb == b"DATA":
                reply = await sink_reader.readline()
                client_writer.write(reply)
                await client_writer.drain()
                if not reply.startswith(b"354"):
                    continue
                while True:
                    data = await client_reader.readline()
                    if not data:
                        return
                    if data == b".\r\n":
                        break
                    sink_writer.write(data)
                if roll("drop_before_dot"):
                    return  # neither side gets the end of the data: the sink discards the message
                sink_writer.write(data)
                await sink_writer.drain()
                reply = await sink_reader.readline()
                if roll("drop_after_dot"):
                    return  # delivered, but the gateway never hears the 250
                counts["messages_passed"] += 1
                client_writer.write(reply)
                await client_writer.drain()
                continue
            # Multi-line replies (EHLO) end with a line whose fourth byte is a space.
            while True:
                reply = await sink_reader.readline()
                client_writer.write(reply)
                if len(reply) < 4 or reply[3:4] != b"-":
                    break
            await client_writer.drain()
            if verb == b"QUIT":
                return
    except (ConnectionError, asyncio.IncompleteReadError):
        return
    finally:
        for writer in (client_writer, sink_writer):
            writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", listen_port)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    print(" ".join(f"{name}={count}" for name, count in counts.items()), flush=True)
    server.close()


asyncio.run(main())
