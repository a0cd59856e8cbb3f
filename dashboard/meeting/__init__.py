"""The meeting room: prepared views, the shared stage, the presenter and the room's screen."""
