// Entry point: the console replaces the static "Loading" line of index.html.
import { render } from 'preact';
import { App } from './app.jsx';
import './styles.css';

const root = document.getElementById('app');
root.replaceChildren();
render(<App />, root);
