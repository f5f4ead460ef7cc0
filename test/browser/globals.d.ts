// Brings `window.citytwin` (declared by the client's automation module) into the tests' types.
import '../../client/src/app/automation';
